import hashlib
import io
import os
import re
import uuid
from datetime import timedelta

from PIL import Image

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from .common import IspPortalCase

TRANSFER = 'isp.bank.transfer.payment'
URL = '/my/isp/payments/transfer'
PNG = b'\x89PNG\r\n\x1a\n'
MAX_BYTES = 10 * 1024 * 1024


def receipt(magic=None, size=0, image_format='PNG'):
    """A receipt no other test sends: a real image of unique pixels, or ``magic`` followed by
    unique bytes; padded to ``size`` (readers ignore what follows the end of an image)."""
    if magic is None:
        out = io.BytesIO()
        Image.frombytes('RGB', (4, 4), uuid.uuid4().bytes * 3).save(out, image_format)
        body = out.getvalue()
    else:
        body = magic + uuid.uuid4().bytes
    return body + b'\x00' * max(0, size - len(body))


class TransferCase(IspPortalCase):

    def _form(self, **values):
        today = fields.Date.context_today(self.env.user)
        data = {
            'subscription_id': self.sub_a.id,
            'invoice_ids': [self.invoice_a.id],
            'bank_name': "Banco Popular",
            'reference': f"REF-{uuid.uuid4().hex[:8]}",
            'amount': f"{self.invoice_a.amount_residual:.2f}",
            'transfer_date': today.isoformat(),
        }
        data.update(values)
        return data

    def _submit(self, data, content=None, name='receipt.png', mimetype='image/png'):
        files = {'receipt': (name, content, mimetype)} if content is not None else None
        return self._post(URL, data, files=files)

    def _stored(self, content=None):
        """What a refused report must leave untouched."""
        Attachment = self.env['ir.attachment'].sudo()
        counts = {
            'transfers': self.env[TRANSFER].sudo().search_count([]),
            'attachments': Attachment.search_count([('res_model', '=', TRANSFER)]),
            'receipts': self.env['isp.bank.transfer.receipt'].sudo().search_count([]),
        }
        if content is not None:
            counts['same content'] = Attachment.search_count([('checksum', '=', hashlib.sha1(content).hexdigest())])
        return counts

    def _submit_ok(self, **values):
        content = values.pop('content', None) or receipt()
        response = self._submit(self._form(**values), content)
        self.assertEqual(response.status_code, 303, response.text[:2000])
        transfer_id = int(re.search(r'/my/isp/payments/transfer/(\d+)$', response.headers['Location']).group(1))
        return self.env[TRANSFER].sudo().browse(transfer_id), content

    def assertRefused(self, response, message, before):
        self.assertEqual(response.status_code, 400, response.text[:500])
        self.assertIn(message, response.text)
        self.assertIn('The transfer was not reported.', response.text)
        self.env.invalidate_all()
        self.assertEqual(self._stored(), before, "a refused report stored something")


@tagged('post_install', '-at_install')
class TestPortalTransfer(TransferCase):

    # ------------------------------------------------------------------ happy path

    def test_transfer_form_lists_own_service_and_invoices_only(self):
        self._login(self.portal_a)
        response = self.url_open(f'{URL}?subscription_id={self.sub_a.id}')
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.sub_a.name, response.text)
        self.assertIn(self.invoice_a.name, response.text)
        self.assertRegex(response.text, rf'<option value="{self.sub_a.id}" selected')
        self.assertNotIn(self.sub_b.name, response.text)
        self.assertNotIn(self.invoice_b.name, response.text)

    def test_transfer_happy_path_review_with_deadlines_and_receipt(self):
        self._login(self.portal_a)
        before = fields.Datetime.now().replace(microsecond=0)
        transfer, content = self._submit_ok(reference="BP-2026-0001")
        self.assertEqual(transfer.state, 'review')
        self.assertEqual(transfer.partner_id, self.customer)
        self.assertEqual(transfer.subscription_id, self.sub_a)
        self.assertEqual(transfer.invoice_ids, self.invoice_a)
        self.assertEqual(transfer.bank_name, "Banco Popular")
        self.assertEqual(transfer.reference, "BP-2026-0001")
        self.assertEqual(transfer.amount, self.invoice_a.amount_residual)
        self.assertGreaterEqual(transfer.submitted_at, before)
        self.assertEqual(transfer.review_deadline - transfer.submitted_at, timedelta(hours=24))
        self.assertEqual(transfer.attention_deadline - transfer.submitted_at, timedelta(hours=48))
        attachment = transfer.attachment_ids
        self.assertEqual(len(attachment), 1)
        self.assertEqual((attachment.res_model, attachment.res_id), (TRANSFER, transfer.id))
        self.assertEqual(attachment.mimetype, 'image/png')
        self.assertEqual(attachment.raw, content)
        self.assertEqual(transfer.access_url, f'{URL}/{transfer.id}')

        page = self.url_open(transfer.access_url)
        self.assertEqual(page.status_code, 200)
        for text in (transfer.name, "In review", "BP-2026-0001", 'id="isp_transfer_review_deadline"',
                     'id="isp_transfer_attention_deadline"', 'id="isp_transfer_submitted"', 'o_portal_chatter'):
            self.assertIn(text, page.text)
        link = re.search(r'href="(/web/content/(\d+)\?download=true&amp;access_token=[^"]+)"', page.text)
        self.assertTrue(link, "no receipt download link")
        self.assertEqual(int(link.group(2)), attachment.id)
        url = link.group(1).replace('&amp;', '&')
        # The token link works for whoever the customer hands it to, without a session.
        self.logout()
        download = self.url_open(url)
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.content, content)

    def test_transfer_list_shows_own_transfers_only(self):
        self._login(self.portal_b)
        transfer_b, _content = self._submit_ok(subscription_id=self.sub_b.id, invoice_ids=[self.invoice_b.id],
                                               amount=f"{self.invoice_b.amount_residual:.2f}")
        self._login(self.portal_a)
        transfer_a, _content = self._submit_ok()
        page = self.url_open('/my/isp/payments')
        self.assertEqual(page.status_code, 200)
        self.assertIn(transfer_a.name, page.text)
        self.assertNotIn(transfer_b.name, page.text)
        self.assertNotIn(transfer_b.reference, page.text)

    def test_transfer_home_tile_counts_own_transfers(self):
        self._login(self.portal_a)
        self._submit_ok()
        counters = self.make_jsonrpc_request('/my/counters', {'counters': ['isp_transfer_count']})
        self.assertEqual(counters['isp_transfer_count'], 1)
        home = self.url_open('/my/home')
        self.assertIn('href="/my/isp/payments" title="Bank transfers"', home.text)
        self._login(self.portal_b)
        counters = self.make_jsonrpc_request('/my/counters', {'counters': ['isp_transfer_count']})
        self.assertEqual(counters['isp_transfer_count'], 0)

    def test_transfer_without_invoices_is_accepted(self):
        self._login(self.portal_a)
        transfer, _content = self._submit_ok(invoice_ids=[])
        self.assertEqual(transfer.state, 'review')
        self.assertFalse(transfer.invoice_ids)

    def test_transfer_receipt_of_rejected_transfer_may_be_sent_again(self):
        self._login(self.portal_a)
        first, content = self._submit_ok()
        first.rejection_reason = "Wrong reference"
        first.action_reject()
        second, _content = self._submit_ok(content=content)
        self.assertEqual(second.state, 'review')

    # ------------------------------------------------------------------ refusals

    def test_transfer_refuses_receipt_already_on_another_transfer(self):
        self._login(self.portal_a)
        first, content = self._submit_ok()
        before = self._stored()
        response = self._submit(self._form(), content)
        self.assertRefused(response, f"This receipt has already been submitted with transfer {first.name}", before)

    def test_transfer_refuses_again_a_receipt_odoo_shrank(self):
        """Odoo stores large photos shrunk: the same photo sent again is still the same receipt."""
        out = io.BytesIO()
        Image.frombytes('RGB', (2400, 30), os.urandom(2400 * 30 * 3)).save(out, 'PNG')
        content = out.getvalue()
        self._login(self.portal_a)
        first, _content = self._submit_ok(content=content)
        self.assertNotEqual(first.attachment_ids.raw, content, "the photo was expected to be shrunk")
        before = self._stored()
        response = self._submit(self._form(), content)
        self.assertRefused(response, f"This receipt has already been submitted with transfer {first.name}", before)

    def test_transfer_refuses_bank_and_reference_already_used(self):
        self._login(self.portal_a)
        self._submit_ok(reference="BP-777")
        before = self._stored()
        content = receipt()
        # The same transfer typed differently (case, spaces, dashes) is the same transfer.
        response = self._submit(self._form(bank_name="banco  popular", reference="bp 777"), content)
        self.assertRefused(response, "You already reported this bank transfer (same bank and reference)", before)
        self.assertEqual(self._stored(content)['same content'], 0)

    def test_transfer_refuses_another_customers_reference_or_receipt_without_naming_it(self):
        self._login(self.portal_a)
        transfer_a, content_a = self._submit_ok(reference="BP-888")
        self._login(self.portal_b)
        before = self._stored()
        form_b = {'subscription_id': self.sub_b.id, 'invoice_ids': [self.invoice_b.id]}
        response = self._submit(self._form(reference="BP-888", **form_b), receipt())
        self.assertRefused(response, "This bank transfer (same bank and reference) has already been reported.", before)
        self.assertNotIn(transfer_a.name, response.text)
        response = self._submit(self._form(**form_b), content_a)
        self.assertRefused(response, "This receipt has already been submitted with another transfer.", before)
        self.assertNotIn(transfer_a.name, response.text)

    def test_transfer_refuses_files_that_are_not_png_jpeg_webp_or_pdf(self):
        self._login(self.portal_a)
        before = self._stored()
        cases = [
            (b'GIF89a', 'receipt.png', 'image/png'),
            (b'<html><script>alert(1)</script>', 'receipt.pdf', 'application/pdf'),
            (b'PK\x03\x04', 'receipt.jpg', 'image/jpeg'),
            (b'RIFF\x00\x00\x00\x00WAVE', 'receipt.webp', 'image/webp'),
        ]
        for magic, name, mimetype in cases:
            with self.subTest(name=name, magic=magic):
                content = receipt(magic)
                response = self._submit(self._form(), content, name=name, mimetype=mimetype)
                self.assertRefused(response, "The file must be a PNG, JPEG or WebP image or a PDF file.", before)
                self.assertEqual(self._stored(content)['same content'], 0)

    def test_transfer_accepts_jpeg_webp_and_pdf_by_content(self):
        self._login(self.portal_a)
        for content, mimetype in ((receipt(image_format='JPEG'), 'image/jpeg'),
                                  (receipt(b'RIFF\x10\x00\x00\x00WEBPVP8 '), 'image/webp'),
                                  (receipt(b'%PDF-1.7\n'), 'application/pdf')):
            with self.subTest(mimetype=mimetype):
                # The browser's name and type are wrong on purpose: only the content counts.
                response = self._submit(self._form(), content, name='scan.txt', mimetype='text/plain')
                self.assertEqual(response.status_code, 303, response.text[:500])
                transfer = self.env[TRANSFER].sudo().search([], limit=1)
                self.assertEqual(transfer.attachment_ids.mimetype, mimetype)
                self.assertFalse(transfer.attachment_ids.name.endswith('.txt'))

    def test_transfer_refuses_damaged_images(self):
        self._login(self.portal_a)
        before = self._stored()
        for magic in (PNG, b'\xff\xd8\xff\xe0'):
            with self.subTest(magic=magic):
                content = receipt(magic)
                response = self._submit(self._form(), content)
                self.assertRefused(response, "The image is damaged or unreadable", before)
                self.assertEqual(self._stored(content)['same content'], 0)

    def test_transfer_refuses_file_over_10_mib(self):
        self._login(self.portal_a)
        before = self._stored()
        content = receipt(size=MAX_BYTES + 1)
        response = self._submit(self._form(), content)
        self.assertRefused(response, "The file is larger than 10 MiB", before)
        self.assertEqual(self._stored(content)['same content'], 0)

    def test_transfer_accepts_file_of_exactly_10_mib(self):
        self._login(self.portal_a)
        transfer, content = self._submit_ok(content=receipt(size=MAX_BYTES))
        self.assertEqual(transfer.attachment_ids.file_size, MAX_BYTES)

    def test_transfer_refuses_missing_or_empty_file_and_keeps_what_was_typed(self):
        self._login(self.portal_a)
        before = self._stored()
        data = self._form(bank_name="Banreservas", reference="RSV-42")
        response = self._submit(data)
        self.assertRefused(response, "Attach the receipt of the transfer", before)
        self.assertIn('value="Banreservas"', response.text)
        self.assertIn('value="RSV-42"', response.text)
        self.assertIn(f'value="{data["amount"]}"', response.text)
        self.assertIn(f'value="{data["transfer_date"]}"', response.text)
        self.assertRegex(response.text, rf'value="{self.invoice_a.id}"\s+checked')
        response = self._submit(data, b'')
        self.assertRefused(response, "The file is empty.", before)

    def test_transfer_refuses_bad_amounts(self):
        self._login(self.portal_a)
        before = self._stored()
        for amount, message in (("abc", "Enter the amount as a number"), ("", "Enter the amount as a number"),
                                ("nan", "Enter the amount as a number"), ("inf", "Enter the amount as a number"),
                                ("0", "more than zero"), ("-31", "more than zero"),
                                ("31.005", "more decimals than the currency allows"),
                                ("1e12", "too large")):
            with self.subTest(amount=amount):
                response = self._submit(self._form(amount=amount), receipt())
                self.assertRefused(response, message, before)

    def test_transfer_refuses_bad_dates(self):
        self._login(self.portal_a)
        before = self._stored()
        today = fields.Date.context_today(self.env.user)
        for day, message in (("2026-13-01", "YYYY-MM-DD"), ("yesterday", "YYYY-MM-DD"), ("", "YYYY-MM-DD"),
                             ("20260301", "YYYY-MM-DD"),
                             ((today + timedelta(days=2)).isoformat(), "cannot be in the future"),
                             ((today - timedelta(days=400)).isoformat(), "more than a year ago")):
            with self.subTest(day=day):
                response = self._submit(self._form(transfer_date=day), receipt())
                self.assertRefused(response, message, before)

    def test_transfer_refuses_missing_bank_reference_or_service(self):
        self._login(self.portal_a)
        before = self._stored()
        for values, message in (({'bank_name': ''}, "Enter the bank of the transfer."),
                                ({'reference': '  '}, "Enter the reference of the transfer."),
                                ({'reference': '---'}, "must contain letters or digits"),
                                ({'bank_name': 'B' * 65}, "too long"),
                                ({'subscription_id': ''}, "Choose the service this transfer pays for.")):
            with self.subTest(values=values):
                response = self._submit(self._form(**values), receipt())
                self.assertRefused(response, message, before)

    def test_transfer_refuses_paid_invoice_or_invoice_of_another_service(self):
        other_sub = self._portal_subscription(self.customer)
        other_invoice = self._open_invoice(other_sub)
        self._login(self.portal_a)
        before = self._stored()
        response = self._submit(self._form(invoice_ids=[other_invoice.id]), receipt())
        self.assertRefused(response, f"not invoices of service {self.sub_a.name}", before)
        self._pay(self.invoice_a)
        response = self._submit(self._form(), receipt())
        self.assertRefused(response, "nothing left to pay", before)

    def test_transfer_without_csrf_is_refused(self):
        self._login(self.portal_a)
        before = self._stored()
        response = self.url_open(URL, data=self._form(), files={'receipt': ('r.png', receipt(), 'image/png')},
                                 allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._stored(), before)

    def test_transfer_requires_login(self):
        response = self.url_open(URL, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn('/web/login', response.headers['Location'])

    # ------------------------------------------------------------------ isolation

    def test_transfer_with_another_customers_invoice_or_service_is_not_found(self):
        self._login(self.portal_a)
        before = self._stored()
        for values in ({'invoice_ids': [self.invoice_b.id]}, {'invoice_ids': [self.invoice_a.id, self.invoice_b.id]},
                       {'subscription_id': self.sub_b.id, 'invoice_ids': []},
                       {'subscription_id': 'x'}, {'invoice_ids': ['999999999']}):
            with self.subTest(values=values):
                content = receipt()
                response = self._submit(self._form(**values), content)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(self.customer_b.name, response.text)
                self.assertEqual(self._stored(content), {**before, 'same content': 0})
        response = self.url_open(f'{URL}?subscription_id={self.sub_b.id}')
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(self.sub_b.name, response.text)

    def test_transfer_page_and_receipt_of_another_customer_are_not_found(self):
        self._login(self.portal_b)
        transfer_b, content_b = self._submit_ok(subscription_id=self.sub_b.id, invoice_ids=[self.invoice_b.id],
                                                reference="SECRET-B-1")
        receipt_b = transfer_b.attachment_ids
        self._login(self.portal_a)
        page = self.url_open(f'{URL}/{transfer_b.id}')
        self.assertEqual(page.status_code, 404)
        self.assertNotIn("SECRET-B-1", page.text)
        self.assertNotIn(transfer_b.name, page.text)
        for url in (f'/web/content/{receipt_b.id}?download=true', f'/web/content/{receipt_b.id}',
                    f'/web/content/{receipt_b.id}?download=true&access_token=wrong'):
            with self.subTest(url=url):
                download = self.url_open(url)
                self.assertIn(download.status_code, (403, 404))
                self.assertNotEqual(download.content, content_b)
        self.assertEqual(self.url_open(f'{URL}/999999999').status_code, 404)


@tagged('post_install', '-at_install')
class TestPortalTransferNotifications(TransferCase):

    def _customer_mails(self, transfer):
        return self.env['mail.mail'].sudo().search([
            ('model', '=', TRANSFER), ('res_id', '=', transfer.id),
            ('recipient_ids', 'in', self.customer.ids),
        ])

    def _customer_messages(self, transfer):
        """The messages the customer reads in the transfer's portal chatter, fetched as them."""
        self._login(self.portal_a)
        result = self.make_jsonrpc_request(
            '/mail/thread/messages', {'thread_model': TRANSFER, 'thread_id': transfer.id})
        return self.env['mail.message'].sudo().browse(result['messages'])

    def _reported(self):
        self._login(self.portal_a)
        transfer, _content = self._submit_ok(reference="BP-555")
        return transfer.with_user(self.billing_user)

    def test_transfer_approve_notifies_customer_by_mail_and_chatter(self):
        transfer = self._reported()
        self.assertFalse(self._customer_mails(transfer))
        transfer.action_approve()
        mail = self._customer_mails(transfer)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, 'outgoing')
        self.assertIn("was approved", mail.body_html)
        self.assertIn("BP-555", mail.body_html)
        messages = self._customer_messages(transfer)
        self.assertTrue(any("was approved" in m.body for m in messages))

    def test_transfer_apply_notifies_customer(self):
        transfer = self._reported()
        transfer.action_approve()
        transfer.action_apply()
        self.assertEqual(transfer.state, 'applied')
        self.assertIn(self.invoice_a.payment_state, ('paid', 'in_payment'))
        mails = self._customer_mails(transfer)
        self.assertEqual(len(mails), 2)
        self.assertTrue(any("was applied" in m.body_html and self.invoice_a.name in m.body_html for m in mails))
        self.assertTrue(any("was applied" in m.body for m in self._customer_messages(transfer)))

    def test_transfer_reject_notifies_customer_with_reason(self):
        transfer = self._reported()
        transfer.rejection_reason = "The receipt is from another account"
        transfer.action_reject()
        mail = self._customer_mails(transfer)
        self.assertEqual(len(mail), 1)
        self.assertIn("was rejected", mail.body_html)
        self.assertIn("The receipt is from another account", mail.body_html)
        self.assertTrue(any("The receipt is from another account" in m.body for m in self._customer_messages(transfer)))
        page = self.url_open(transfer.access_url)
        self.assertIn("The receipt is from another account", page.text)
        self.assertIn("Rejected", page.text)

    def test_transfer_customer_writes_in_the_chatter_and_cannot_write_the_transfer(self):
        transfer = self._reported()
        with self.assertRaises(AccessError):
            transfer.with_user(self.portal_a).write({'amount': 1.0})
        self.make_jsonrpc_request('/mail/message/post', {
            'thread_model': TRANSFER, 'thread_id': transfer.id, 'token': transfer.access_token,
            'post_data': {'body': "Here is a clearer photo", 'message_type': 'comment'}})
        message = transfer.message_ids.filtered(lambda m: "clearer photo" in (m.body or ''))
        self.assertEqual(message.author_id, self.customer)
        self._login(self.portal_b)
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request('/mail/message/post', {
                'thread_model': TRANSFER, 'thread_id': transfer.id,
                'post_data': {'body': "Not my transfer", 'message_type': 'comment'}})
        self.assertFalse(transfer.message_ids.filtered(lambda m: "Not my transfer" in (m.body or '')))

    def test_transfer_portal_users_of_other_customers_see_no_messages(self):
        transfer = self._reported()
        transfer.rejection_reason = "Private reason for A"
        transfer.action_reject()
        self._login(self.portal_b)
        result = self.make_jsonrpc_request(
            '/mail/thread/messages', {'thread_model': TRANSFER, 'thread_id': transfer.id})
        self.assertFalse(result['messages'])


@tagged('post_install', '-at_install')
class TestPortalTransferTour(TransferCase):

    def test_transfer_tour(self):
        self.start_tour(f'{URL}?subscription_id={self.sub_a.id}', 'isp_portal_transfer', login='portal_a')
        transfer = self.env[TRANSFER].sudo().search([('reference', '=', 'TOUR-2026-1')])
        self.assertEqual(transfer.state, 'review')
        self.assertEqual(transfer.partner_id, self.customer)
        self.assertEqual(transfer.invoice_ids, self.invoice_a)
        self.assertEqual(transfer.attachment_ids.mimetype, 'image/png')

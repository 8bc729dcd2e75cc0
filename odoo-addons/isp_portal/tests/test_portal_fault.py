import base64
import io
from xmlrpc.client import Fault

from PIL import Image

from odoo import Command, fields
from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import format_date

from odoo.addons.isp_portal.controllers.uploads import content_type

from .common import IspPortalCase

PNG = base64.b64decode(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==')
JPEG_HEAD = b'\xff\xd8\xff\xe0\x00\x10JFIF\x00'
WEBP_HEAD = b'RIFF\x24\x00\x00\x00WEBPVP8 '
PDF_HEAD = b'%PDF-1.7\n'


@tagged('post_install', '-at_install')
class TestPortalFault(IspPortalCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.support_user = new_test_user(
            cls.env, 'isp_support_fault_test', groups='isp_core.group_isp_support',
            company_id=cls.env.company.id, company_ids=[Command.set(cls.env.company.ids)])
        cls.Ticket = cls.env['isp.fault.ticket']
        cls.ticket_b = cls.Ticket.create({
            'subscription_id': cls.sub_b.id, 'fault_type': 'slow', 'description': "B's secret description"})
        cls.photo_b = cls.env['ir.attachment'].create({
            'name': 'b-router.png', 'raw': PNG, 'res_model': cls.Ticket._name, 'res_id': cls.ticket_b.id})

    def _report(self, sub=None, fault_type='no_service', description="No internet since this morning",
                attachment=None, **extra):
        data = {'subscription_id': (sub or self.sub_a).id, 'fault_type': fault_type,
                'description': description, **extra}
        files = {'attachment': attachment} if attachment else None
        return self._post('/my/isp/faults/new', data, files=files)

    def _tickets_a(self):
        return self.Ticket.search([('partner_id', '=', self.customer.id)])

    def _attachment_count(self):
        return self.env['ir.attachment'].search_count([('res_model', '=', self.Ticket._name)])

    def _chatter_post(self, ticket_id, body, **access):
        return self.make_jsonrpc_request('/mail/message/post', {
            'thread_model': 'isp.fault.ticket', 'thread_id': ticket_id,
            'post_data': {'body': body, 'message_type': 'comment', 'subtype_xmlid': 'mail.mt_comment'},
            **access})

    # ------------------------------------------------------------------ report

    def test_report_with_photo(self):
        self._login(self.portal_a)
        response = self._report(attachment=('router lights.png', PNG, 'image/png'))
        self.assertEqual(response.status_code, 303, response.text[:500])
        ticket = self._tickets_a()
        self.assertEqual(len(ticket), 1)
        self.assertEqual((ticket.subscription_id, ticket.fault_type, ticket.priority, ticket.state),
                         (self.sub_a, 'no_service', 'high', 'new'))
        self.assertEqual(ticket.description, "No internet since this morning")
        self.assertTrue(response.headers['Location'].endswith(f'/my/isp/faults/{ticket.id}?created=1'))
        self.assertIn(self.customer, ticket.message_partner_ids)
        photo = self.env['ir.attachment'].search([('res_model', '=', ticket._name), ('res_id', '=', ticket.id)])
        self.assertEqual((photo.name, photo.mimetype, photo.raw), ('router lights.png', 'image/png', PNG))

        page = self.url_open(ticket.access_url).text
        self.assertIn(ticket.name, page)
        self.assertIn("No internet since this morning", page)
        self.assertIn(f'/web/content/{photo.id}?access_token={photo.access_token}', page)
        self.assertIn(f'data-token="{ticket.access_token}"', page)
        self.assertIn('id="discussion"', page)
        self.assertIn("We answer by", page)
        deadline = fields.Datetime.context_timestamp(ticket.with_user(self.portal_a), ticket.sla_deadline)
        self.assertRegex(page, rf'o_isp_sla_deadline"><span[^>]*>{format_date(self.env, deadline)} ')
        # The photo link works for the customer.
        self.assertEqual(self.url_open(f'/web/content/{photo.id}?access_token={photo.access_token}').content, PNG)

    def test_form_offers_own_subscriptions_in_service(self):
        sub_second = self._portal_subscription(self.customer)
        sub_gone = self._portal_subscription(self.customer)
        sub_gone.action_terminate()
        self._login(self.portal_a)
        page = self.url_open(f'/my/isp/faults/new?subscription_id={sub_second.id}').text
        self.assertIn('enctype="multipart/form-data"', page)
        self.assertIn('name="csrf_token"', page)
        self.assertRegex(page, rf'<option value="{sub_second.id}" selected=')
        self.assertIn(f'<option value="{self.sub_a.id}">', page)
        for absent in (sub_gone, self.sub_b):
            self.assertNotIn(absent.name, page)
        for label in ("No service", "Slow connection", "Intermittent", "Equipment", "Other"):
            self.assertIn(label, page)

    def test_priority_from_fault_type(self):
        self._login(self.portal_a)
        self._report(fault_type='slow', description="Slow in the evening")
        ticket = self._tickets_a()
        self.assertEqual(ticket.priority, 'normal')
        self.assertFalse(self.env['ir.attachment'].search_count(
            [('res_model', '=', ticket._name), ('res_id', '=', ticket.id)]))

    def test_refusals_store_nothing(self):
        sub_gone = self._portal_subscription(self.customer)
        sub_gone.action_terminate()
        self._login(self.portal_a)
        cases = [
            ("unknown fault type", {'fault_type': 'alien'}, "Choose what kind of fault it is"),
            ("empty description", {'description': "   "}, "Describe the fault"),
            ("description too long", {'description': "x" * 5001}, "The description is too long"),
            ("text file named .png", {'attachment': ('photo.png', b'<svg onload=alert(1)>', 'image/png')},
             "The file must be a PNG, JPEG or WebP image or a PDF file"),
            ("file over 10 MiB", {'attachment': ('big.png', PNG + b'\0' * (10 * 1024 * 1024), 'image/png')},
             "The file is larger than 10 MiB"),
            ("damaged image", {'attachment': ('broken.png', PNG[:24], 'image/png')},
             "The image is damaged or unreadable"),
            ("terminated subscription", {'sub': sub_gone}, "is not in service"),
        ]
        before = (self.Ticket.search_count([]), self._attachment_count())
        for label, values, message in cases:
            with self.subTest(label):
                response = self._report(**values)
                self.assertEqual(response.status_code, 422)
                self.assertIn(message, response.text)
                self.assertEqual((self.Ticket.search_count([]), self._attachment_count()), before)

    def test_refused_form_keeps_what_was_typed(self):
        self._login(self.portal_a)
        response = self._report(fault_type='alien', description="Router blinks red")
        self.assertIn("Router blinks red", response.text)

    def test_someone_elses_subscription_is_refused_with_404(self):
        self._login(self.portal_a)
        before = self.Ticket.search_count([])
        response = self._report(sub=self.sub_b)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.Ticket.search_count([]), before)

    def test_missing_csrf_token_is_refused(self):
        self._login(self.portal_a)
        response = self.url_open('/my/isp/faults/new', data={
            'subscription_id': self.sub_a.id, 'fault_type': 'slow', 'description': "x"}, allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._tickets_a())

    def test_file_types_by_magic_bytes(self):
        self.assertEqual(content_type(PNG[:16]), ('image/png', 'png'))
        self.assertEqual(content_type(JPEG_HEAD), ('image/jpeg', 'jpg'))
        self.assertEqual(content_type(WEBP_HEAD), ('image/webp', 'webp'))
        self.assertEqual(content_type(PDF_HEAD), ('application/pdf', 'pdf'))
        for head in (b'GIF89a', b'<html>', b'RIFF\0\0\0\0WAVEfmt ', b'PK\x03\x04', b''):
            self.assertIsNone(content_type(head), head)

    def test_jpeg_named_as_text_is_stored_as_jpeg(self):
        jpeg = io.BytesIO()
        Image.new('RGB', (4, 4), 'red').save(jpeg, 'JPEG')
        self._login(self.portal_a)
        self._report(attachment=('notes.txt', jpeg.getvalue(), 'text/plain'))
        photo = self.env['ir.attachment'].search(
            [('res_model', '=', self.Ticket._name), ('res_id', '=', self._tickets_a().id)])
        self.assertEqual((photo.name, photo.mimetype), ('notes.jpg', 'image/jpeg'))

    # ------------------------------------------------------------------ list and page

    def test_list_shows_only_own_tickets(self):
        mine = self.Ticket.create({'subscription_id': self.sub_a.id, 'fault_type': 'slow', 'description': "A"})
        mine.flush_recordset()
        self._login(self.portal_a)
        page = self.url_open('/my/isp/faults').text
        for text in (mine.name, self.sub_a.name, "Slow connection", "New"):
            self.assertIn(text, page)
        self.assertNotIn(self.ticket_b.name, page)
        self.assertNotIn(self.sub_b.name, page)

    def test_list_pages(self):
        self.Ticket.create([{'subscription_id': self.sub_a.id, 'description': str(n)} for n in range(85)])
        self._login(self.portal_a)
        first = self.url_open('/my/isp/faults').text
        second = self.url_open('/my/isp/faults/page/2').text
        self.assertEqual(first.count('class="o_isp_ticket_link"'), 80)
        self.assertIn('/my/isp/faults/page/2', first)
        self.assertEqual(second.count('class="o_isp_ticket_link"'), 5)

    def test_state_shown_as_it_moves(self):
        ticket = self.Ticket.create({'subscription_id': self.sub_a.id, 'description': "Down"})
        self._login(self.portal_a)
        staff = ticket.with_user(self.support_user)
        for action, state, sentence in ((None, "New", "We received your report"),
                                        (staff.action_start, "In progress", "A technician is working on it"),
                                        (staff.action_resolve, "Resolved", "We fixed the fault")):
            if action:
                action()
            with self.subTest(state):
                page = self.url_open(ticket.access_url).text
                self.assertIn(state, page)
                self.assertIn(sentence, page)
        self.assertIn("Fixed on", page)

    def test_someone_elses_ticket_and_photo_are_not_found(self):
        self._login(self.portal_a)
        for url in (self.ticket_b.access_url, '/my/isp/faults/0', '/my/isp/faults/abc'):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("B's secret description", response.text)
                self.assertNotIn(self.ticket_b.name, response.text)
        for url in (f'/web/content/{self.photo_b.id}', f'/web/content/{self.photo_b.id}?download=true',
                    f'/web/content/{self.photo_b.id}?access_token=guess'):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertIn(response.status_code, (403, 404))
                self.assertNotEqual(response.content, PNG)
        # /web/image answers Odoo's placeholder picture for what one may not see.
        self.assertNotEqual(self.url_open(f'/web/image/{self.photo_b.id}').content, PNG)

    # ------------------------------------------------------------------ chatter

    def test_customer_replies_and_sees_staff_messages(self):
        self._login(self.portal_a)
        self._report()
        ticket = self._tickets_a()
        ticket.with_user(self.support_user).with_context(mail_notify_force_send=False).message_post(
            body="A technician visits you tomorrow", message_type='comment', subtype_xmlid='mail.mt_comment')
        staff_message = ticket.message_ids[0]
        # The customer follows the ticket, so the staff reply is mailed to them.
        self.assertTrue(self.env['mail.mail'].search(
            [('mail_message_id', '=', staff_message.id), ('recipient_ids', 'in', self.customer.ids)]))
        ticket.with_user(self.support_user).message_post(body="Internal: bring a new ONU",
                                                         subtype_xmlid='mail.mt_note')

        self._chatter_post(ticket.id, "Thank you, I will be home", token=ticket.access_token)
        reply = ticket.message_ids[0]
        self.assertEqual((reply.author_id, reply.body), (self.customer, "<p>Thank you, I will be home</p>"))

        fetched = self.make_jsonrpc_request('/mail/chatter_fetch', {
            'thread_model': 'isp.fault.ticket', 'thread_id': ticket.id, 'token': ticket.access_token})
        bodies = [m['body'] for m in fetched['data']['mail.message']]
        self.assertTrue(any("A technician visits you tomorrow" in str(b) for b in bodies), bodies)
        self.assertTrue(any("Thank you, I will be home" in str(b) for b in bodies), bodies)
        self.assertFalse(any("Internal" in str(b) for b in bodies), bodies)

    def test_customer_cannot_post_or_read_on_someone_elses_ticket(self):
        mine = self.Ticket.create({'subscription_id': self.sub_a.id, 'description': "Mine"})
        mine._portal_ensure_token()
        self.ticket_b._portal_ensure_token()
        before = len(self.ticket_b.message_ids)
        self._login(self.portal_a)
        for label, access in (("no token", {}), ("my own token", {'token': mine.access_token}),
                              ("made-up token", {'token': 'x' * 36})):
            with self.subTest(label):
                with self.assertRaises(JsonRpcException) as caught:
                    self._chatter_post(self.ticket_b.id, "Hijack", **access)
                self.assertIn('NotFound', str(caught.exception))
        self.ticket_b.invalidate_recordset()
        self.assertEqual(len(self.ticket_b.message_ids), before)
        fetched = self.make_jsonrpc_request('/mail/chatter_fetch', {
            'thread_model': 'isp.fault.ticket', 'thread_id': self.ticket_b.id})
        self.assertEqual(fetched['messages'], [])
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request('/mail/chatter_fetch', {
                'thread_model': 'isp.fault.ticket', 'thread_id': self.ticket_b.id, 'token': mine.access_token})

    # ------------------------------------------------------------------ external API

    def test_external_api_reads_own_tickets_and_writes_none(self):
        mine = self.Ticket.create({'subscription_id': self.sub_a.id, 'description': "Mine"})
        db = self.env.cr.dbname
        uid = self.xmlrpc_common.authenticate(db, 'portal_a', 'portal_a', {})

        def call(method, *args, **kwargs):
            return self.xmlrpc_object.execute_kw(db, uid, 'portal_a', 'isp.fault.ticket', method, list(args), kwargs)

        rows = call('search_read', [], fields=['name', 'description'])
        self.assertEqual([row['id'] for row in rows], mine.ids)
        row = call('read', mine.ids, ['name', 'state', 'fault_type', 'priority', 'sla_deadline', 'subscription_id'])[0]
        self.assertEqual((row['name'], row['state'], row['subscription_id'][0]), (mine.name, 'new', self.sub_a.id))
        # Where the network stands is the ISP's business.
        with self.assertRaises(Fault):
            call('read', mine.ids, ['sector_id'])
        for method, args in (('read', (self.ticket_b.ids, ['description'])),
                             ('write', (mine.ids, {'priority': 'urgent'})),
                             ('create', ({'subscription_id': self.sub_a.id, 'description': "x"},)),
                             ('action_close', (mine.ids,)),
                             ('message_post', (self.ticket_b.ids,))):
            with self.subTest(method), self.assertRaises(Fault):
                call(method, *args)
        self.assertEqual((mine.priority, mine.state), ('normal', 'new'))
        self.assertEqual(self.Ticket.search_count([('partner_id', '=', self.customer.id)]), 1)

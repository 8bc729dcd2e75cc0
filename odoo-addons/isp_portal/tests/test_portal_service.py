from datetime import date

from lxml import html

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.isp_portal.controllers.service import IspCustomerPortal

from .common import IspPortalCase


@tagged('post_install', '-at_install')
class TestPortalService(IspPortalCase):
    """The customer's own pages, read through real HTTP as portal users A and B."""

    def _get(self, url, **kwargs):
        return self.url_open(url, allow_redirects=False, **kwargs)

    def _hrefs(self, body, css_class):
        """The links of the elements with ``css_class`` in an HTML page."""
        tree = html.fromstring(body)
        return [el.get('href') for el in tree.xpath(f"//*[contains(concat(' ', @class, ' '), ' {css_class} ')]")]

    def assertNoDataOf(self, body, sub, invoice):
        for secret in (sub.name, invoice.name, sub.partner_id.name, sub.service_mac):
            self.assertNotIn(secret, body)

    # ------------------------------------------------------------------ dashboard

    def test_dashboard_shows_own_service_only(self):
        self._login(self.portal_a)
        response = self._get('/my/isp')
        self.assertEqual(response.status_code, 200)
        body = response.text
        self.assertIn(self.sub_a.name, body)
        self.assertIn("DHCP 20/5", body)
        self.assertIn("20/5 Mbps", body)
        self.assertIn("Connected", body)
        self.assertIn(self.invoice_a.name, body)
        self.assertIn(f'href="/my/isp/service/{self.sub_a.id}"', body)
        pdf = self.invoice_a.get_portal_url(report_type='pdf', download=True).replace('&', '&amp;')
        self.assertIn(f'href="{pdf}"', body)
        self.assertIn("31.00", body, "the balance due is the unpaid invoice")
        self.assertIn("04/01/2026", body, "next invoice date: the period after the invoiced one")
        self.assertNotIn("Suspended", body)
        self.assertNoDataOf(body, self.sub_b, self.invoice_b)

    def test_dashboard_balance_counts_open_credit_notes(self):
        """A credit note not yet used lowers what the customer owes; the portal lists it too."""
        refund = self.invoice_a._reverse_moves([{'invoice_date': date(2026, 3, 2)}])
        refund.invoice_line_ids.price_unit = 10.0
        refund.action_post()
        self.assertEqual(refund.isp_subscription_id, self.sub_a, "the credit note stays the subscription's")
        self._login(self.portal_a)
        tree = html.fromstring(self._get('/my/isp').text)
        balance = tree.xpath("//*[contains(concat(' ', @class, ' '), ' o_isp_balance ')]")
        self.assertEqual(len(balance), 1)
        self.assertIn("21.00", balance[0].text_content(), "31.00 invoiced less the 10.00 credit note")
        self.assertIn(refund.name, self._get('/my/isp/invoices').text)

    def test_dashboard_without_service(self):
        other = self.env['res.partner'].create({'name': "Nadie", 'email': 'nadie@example.com'})
        self._portal_user(other, 'portal_c')
        self.authenticate('portal_c', 'portal_c')
        response = self._get('/my/isp')
        self.assertEqual(response.status_code, 200)
        self.assertIn("You have no internet service with us yet.", response.text)
        self.assertNoDataOf(response.text, self.sub_a, self.invoice_a)

    def test_dashboard_of_staff_shows_no_customer_service(self):
        self.authenticate('admin', 'admin')
        response = self._get('/my/isp')
        self.assertEqual(response.status_code, 200)
        self.assertIn("You have no internet service with us yet.", response.text)
        self.assertNoDataOf(response.text, self.sub_a, self.invoice_a)
        self.assertEqual(self._get(f'/my/isp/service/{self.sub_a.id}').status_code, 404)

    def test_dashboard_requires_login(self):
        response = self._get('/my/isp')
        self.assertEqual(response.status_code, 303)
        self.assertIn('/web/login', response.headers['Location'])

    def test_suspended_card_reason_and_pay_link(self):
        sub, invoice = self._overdue_subscription(self.customer)
        self._login(self.portal_a)
        body = self._get('/my/isp').text
        self.assertIn("Your internet service is suspended.", body)
        self.assertIn(f"non-payment, invoice {invoice.name}", body)
        self.assertEqual(self._hrefs(body, 'o_isp_pay_now'), [invoice.get_portal_url()],
                         "only the suspended card offers to pay, its overdue invoice (with its access token, "
                         "which the payment form posts back)")
        self.assertEqual(self._hrefs(body, "o_isp_report_transfer"),
                         [f"/my/isp/payments/transfer?subscription_id={sub.id}"])
        self.assertIn("Connected", body, "the other subscription of A is still active")

    def test_suspended_card_shows_transfer_under_review(self):
        sub, invoice = self._overdue_subscription(self.customer)
        transfer = self.env['isp.bank.transfer.payment'].create({
            'partner_id': self.customer.id, 'subscription_id': sub.id, 'invoice_ids': invoice.ids,
            'bank_name': "Banco Popular", 'reference': "TR-77", 'amount': 31.0,
            'attachment_ids': self._receipt(b'\x89PNG receipt').ids,
        })
        transfer.action_submit()
        self._login(self.portal_a)
        body = self._get(f'/my/isp/service/{sub.id}').text
        self.assertIn("We are checking your bank transfer", body)
        self.assertIn(f'href="/my/isp/payments/transfer/{transfer.id}"', body)
        self.assertEqual(self._hrefs(body, 'o_isp_pay_now'), [invoice.get_portal_url()],
                         "paying online is still possible")

    def test_suspended_with_several_overdue_invoices_pays_them_all(self):
        sub, invoices = self._overdue_subscription(self.customer, months=2)
        self._login(self.portal_a)
        body = self._get(f'/my/isp/service/{sub.id}').text
        self.assertEqual(self._hrefs(body, 'o_isp_pay_now'), ['/my/invoices/overdue'])
        self.assertIn("62.00", body, "the amount of both overdue invoices")

    def test_suspended_by_staff_says_to_contact_us(self):
        self.sub_a.action_suspend(reason="Equipment returned")
        self._login(self.portal_a)
        body = self._get('/my/isp').text
        self.assertIn("Reason: <span>Equipment returned</span>", body)
        self.assertIn("Please contact us to restore it", body)
        self.assertNotIn("o_isp_pay_now", body)

    def _count_queries(self, url):
        """SQL queries the server runs for one request (the test server shares the test cursor)."""
        self.url_open(url)  # warm the caches (templates, rules, assets) first
        start = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - start

    def test_dashboard_queries_do_not_grow_with_subscriptions(self):
        """The dashboard costs a fixed number of queries per page, never one per card."""
        self._overdue_subscription(self.customer)
        self._login(self.portal_a)
        with_two = self._count_queries('/my/isp')
        for _i in range(3):
            self._open_invoice(self._portal_subscription(self.customer))
        self._overdue_subscription(self.customer, months=2)
        self._overdue_subscription(self.customer, months=3)
        self.env.flush_all()
        with_seven = self._count_queries('/my/isp')
        self.assertEqual(with_seven, with_two, f"{with_two} queries for 2 cards, {with_seven} for 7")

    # ------------------------------------------------------------------ service page

    def test_service_page(self):
        self.env['isp.fault.ticket'].create({
            'subscription_id': self.sub_a.id, 'fault_type': 'slow', 'description': "Slow at night"})
        change = self.env['isp.plan.change.request'].create({
            'subscription_id': self.sub_a.id, 'requested_plan_id': self.plan_taxed.id})
        self._login(self.portal_a)
        response = self._get(f'/my/isp/service/{self.sub_a.id}')
        self.assertEqual(response.status_code, 200)
        body = response.text
        self.assertIn(self.sub_a.name, body)
        self.assertIn("20/5 Mbps", body)
        self.assertIn('id="isp_service_actions"', body)
        self.assertIn(f'href="/my/isp/plan/change?subscription_id={self.sub_a.id}"', body)
        self.assertIn(f'href="/my/isp/faults/new?subscription_id={self.sub_a.id}"', body)
        self.assertIn("Fibra 100/20", body, "the open plan change request")
        self.assertIn('o_isp_open_plan_changes', body)
        self.assertTrue(change)
        fault = self.env['isp.fault.ticket'].search([('subscription_id', '=', self.sub_a.id)])
        self.assertIn(f'href="/my/isp/faults/{fault.id}"', body)
        self.assertIn(self.sub_a.service_mac, body)
        self.assertIn('<a href="/my/isp">My Internet</a>', body, "breadcrumb back to the dashboard")
        self.assertNoDataOf(body, self.sub_b, self.invoice_b)

    @mute_logger('odoo.http')
    def test_service_page_of_another_customer_is_not_found(self):
        self._login(self.portal_a)
        for url in (f'/my/isp/service/{self.sub_b.id}', '/my/isp/service/999999999', '/my/isp/service/abc',
                    '/my/isp/service/-1', '/my/isp/service/99999999999999999999',
                    f'/my/isp/invoices?subscription_id={self.sub_b.id}', '/my/isp/invoices?subscription_id=x1',
                    '/my/isp/invoices?subscription_id=99999999999999999999', '/my/isp/invoices?page=abc',
                    '/my/isp/invoices?page=-2', '/my/isp/invoices/page/x'):
            response = self._get(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertNoDataOf(response.text, self.sub_b, self.invoice_b)

    # ------------------------------------------------------------------ invoices

    def test_invoices_list_and_pager(self):
        for month in range(4, 12):
            self.sub_a._create_period_invoices(date(2026, month, 1))
        invoices = self.env['account.move'].search(
            [('isp_subscription_id', '=', self.sub_a.id), ('move_type', '=', 'out_invoice')])
        self.assertEqual(len(invoices), 9)
        self._login(self.portal_a)
        first = self._get('/my/isp/invoices')
        self.assertEqual(first.status_code, 200)
        self.assertIn('o_portal_my_doc_table', first.text)
        self.assertEqual(first.text.count('class="o_isp_invoice_row"'), 9)
        self.assertNoDataOf(first.text, self.sub_b, self.invoice_b)

        self.patch(IspCustomerPortal, '_items_per_page', 4)
        page1 = self._get('/my/isp/invoices').text
        page3 = self._get('/my/isp/invoices/page/3').text
        self.assertEqual(page1.count('class="o_isp_invoice_row"'), 4)
        self.assertEqual(page3.count('class="o_isp_invoice_row"'), 1)
        self.assertIn('/my/isp/invoices/page/2', page1)
        newest = invoices.sorted(lambda m: (m.invoice_date, m.id))[-1]
        self.assertIn(newest.name, page1)
        self.assertIn(self.invoice_a.name, page3, "the oldest invoice comes last")
        filtered = self._get(f'/my/isp/invoices?subscription_id={self.sub_a.id}')
        self.assertEqual(filtered.status_code, 200)

    @mute_logger('odoo.http')
    def test_invoice_of_another_customer_by_id(self):
        """Page, PDF and downloads of B's invoice asked for by A: no B data, ever.

        Odoo's own invoice pages send a customer who may not see an invoice back to /my (its
        own tests hold that behaviour, so it is kept); the download routes answer 403/404.
        """
        self._login(self.portal_a)
        invoice_b = self.invoice_b
        own = self._get(f'/my/invoices/{self.invoice_a.id}')
        self.assertEqual(own.status_code, 200)
        for url in (f'/my/invoices/{invoice_b.id}',
                    f'/my/invoices/{invoice_b.id}?report_type=pdf',
                    f'/my/invoices/{invoice_b.id}?report_type=pdf&download=true',
                    f'/my/invoices/{invoice_b.id}?report_type=html'):
            response = self._get(url)
            self.assertEqual(response.status_code, 303, url)
            self.assertTrue(response.headers['Location'].endswith('/my'), url)
            self.assertNoDataOf(response.text, self.sub_b, invoice_b)
        for url in (f'/account/download_invoice_documents/{invoice_b.id}/pdf',
                    f'/account/download_move_attachments/{invoice_b.id}'):
            response = self._get(url)
            self.assertIn(response.status_code, (403, 404), url)
            self.assertNoDataOf(response.text, self.sub_b, invoice_b)
            self.assertNotIn(b'%PDF', response.content[:10])

    # ------------------------------------------------------------------ home

    def test_home_counters_and_tile(self):
        self._login(self.portal_a)
        home = self._get('/my/home')
        self.assertEqual(home.status_code, 200)
        self.assertIn('data-placeholder_count="isp_subscription_count"', home.text)
        self.assertIn('href="/my/isp"', home.text)
        counters = self.make_jsonrpc_request(
            '/my/counters', {'counters': ['isp_subscription_count', 'isp_suspended_count']})
        self.assertEqual(counters, {'isp_subscription_count': 1, 'isp_suspended_count': 0})
        self._overdue_subscription(self.customer)
        counters = self.make_jsonrpc_request(
            '/my/counters', {'counters': ['isp_subscription_count', 'isp_suspended_count']})
        self.assertEqual(counters, {'isp_subscription_count': 2, 'isp_suspended_count': 1})

    def test_home_counter_zero_without_service(self):
        other = self.env['res.partner'].create({'name': "Nadie", 'email': 'nadie@example.com'})
        self._portal_user(other, 'portal_c')
        self.authenticate('portal_c', 'portal_c')
        counters = self.make_jsonrpc_request('/my/counters', {'counters': ['isp_subscription_count']})
        self.assertEqual(counters, {'isp_subscription_count': 0})

    # ------------------------------------------------------------------ notice page

    def test_suspended_notice_is_public_and_anonymous(self):
        self._overdue_subscription(self.customer)
        response = self._get('/isp/suspended')
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers['Cache-Control'], 'no-store')
        body = response.text
        self.assertIn("Your internet service is suspended", body)
        self.assertIn('href="/web/login?redirect=%2Fmy%2Fisp"', body)
        self.assertIn("bank transfer", body)
        for sub, invoice in ((self.sub_a, self.invoice_a), (self.sub_b, self.invoice_b)):
            self.assertNoDataOf(body, sub, invoice)
        # The same page whoever the router sends, even with a client address in the headers.
        spoofed = self._get('/isp/suspended', headers={'X-Forwarded-For': '10.20.0.15'})
        self.assertEqual(spoofed.status_code, 200)
        self.assertNoDataOf(spoofed.text, self.sub_a, self.invoice_a)

from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common import IspPortalCase

SUSPEND_CRON = 'isp_billing.ir_cron_suspend_overdue'
CLOSE_CRON = 'isp_portal.ir_cron_close_payment_promises'


@tagged('post_install', '-at_install')
class TestPortalPromise(IspPortalCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Promise = cls.env['isp.payment.promise']
        # Far enough after the due date of both fixture invoices for the non-payment run to cut.
        cls.overdue_day = max(cls.invoice_a.invoice_date_due, fields.Date.today()) + timedelta(days=40)

    def setUp(self):
        super().setUp()
        self._at(self.overdue_day, SUSPEND_CRON)
        self.assertEqual(self.sub_a.state, 'suspended')
        self.assertTrue(self.sub_a.suspended_for_nonpayment)

    def _at(self, moment, cron):
        with freeze_time(moment if isinstance(moment, datetime) else f'{moment} 12:00'):
            self._run_cron(cron)

    def _run_cron(self, xmlid):
        # An HttpCase is in registry test mode already: the cron's cursors wrap the test's.
        self.env.ref(xmlid).method_direct_trigger()
        self.env.invalidate_all()

    def _set_days(self, days):
        self.env['ir.config_parameter'].sudo().set_param('isp_portal.promise_days', str(days))

    def _promise_url(self, sub):
        return f'/my/isp/service/{sub.id}/promise'

    def _promise(self, sub):
        """The customer's click on the button; returns the outcome the service page is told."""
        response = self._post(self._promise_url(sub))
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertIn(f'/my/isp/service/{sub.id}?promise=', response.headers['Location'])
        return response.headers['Location'].split('promise=')[1].split('#')[0]

    def _service_page(self, sub, outcome=None):
        response = self.url_open(f'/my/isp/service/{sub.id}' + (f'?promise={outcome}' if outcome else ''))
        self.assertEqual(response.status_code, 200)
        return response.text

    # ------------------------------------------------------------------ refusals

    def test_promise_off_by_default(self):
        self._login(self.portal_a)
        self.assertNotIn('id="isp_promise_button"', self._service_page(self.sub_a))
        self.assertEqual(self._promise(self.sub_a), 'refused')
        self.assertIn("Promises to pay are not available.", self._service_page(self.sub_a, 'refused'))
        self.assertFalse(self.Promise.search([]))
        self.assertEqual(self.sub_a.state, 'suspended')
        self.assertFalse(self._jobs(self.sub_a, 'reconnect_subscription'))

    def test_promise_refused_when_not_suspended_for_nonpayment(self):
        self._set_days(3)
        self._pay(self.invoice_a)
        self.assertEqual(self.sub_a.state, 'active')
        self._login(self.portal_a)
        self.assertNotIn('id="isp_promise_button"', self._service_page(self.sub_a))
        self.assertEqual(self._promise(self.sub_a), 'refused')
        self.assertIn("Your service is not suspended for non-payment", self._service_page(self.sub_a, 'refused'))
        # Suspended by the staff for another reason: not the customer's to undo.
        self.sub_a.action_suspend(reason="Customer's request")
        self.assertEqual(self._promise(self.sub_a), 'refused')
        self.assertEqual(self.sub_a.state, 'suspended')
        self.assertFalse(self.Promise.search([]))

    def test_promise_of_another_customer_is_not_found(self):
        self._set_days(3)
        self._login(self.portal_a)
        response = self._post(self._promise_url(self.sub_b))
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(self.sub_b.name, response.text)
        self.assertEqual(self.sub_b.state, 'suspended')
        self.assertFalse(self.Promise.search([]))

    def test_promise_without_csrf_is_refused(self):
        self._set_days(3)
        self._login(self.portal_a)
        response = self.url_open(self._promise_url(self.sub_a), data={'confirm': '1'}, allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.sub_a.state, 'suspended')
        self.assertFalse(self.Promise.search([]))

    # ------------------------------------------------------------------ promise

    def test_promise_reconnects_and_queues_the_job(self):
        self._set_days(3)
        self._login(self.portal_a)
        page = self._service_page(self.sub_a)
        self.assertIn('id="isp_promise_button"', page)
        self.assertIn("Reconnect now, pay by", page)
        before = fields.Datetime.now().replace(microsecond=0)
        self.assertEqual(self._promise(self.sub_a), 'done')
        promise = self.Promise.search([])
        self.assertEqual(len(promise), 1)
        self.assertEqual(promise.state, 'active')
        self.assertEqual(promise.subscription_id, self.sub_a)
        self.assertEqual(promise.partner_id, self.customer)
        self.assertEqual(promise.invoice_id, self.invoice_a)
        self.assertGreaterEqual(promise.promised_at, before)
        self.assertEqual(promise.promised_until - promise.promised_at, timedelta(days=3))
        self.assertEqual(self.sub_a.state, 'active')
        self.assertFalse(self.sub_a.suspended_for_nonpayment)
        job = self._jobs(self.sub_a, 'reconnect_subscription')
        self.assertEqual(len(job), 1)
        self.assertEqual(job.state, 'queued')
        page = self._service_page(self.sub_a, 'done')
        self.assertIn("Your service is being reconnected.", page)
        self.assertIn(self.invoice_a.name, page)
        self.assertNotIn('id="isp_promise_button"', page)

    def test_promise_once_per_invoice_and_broken_when_unpaid(self):
        self._set_days(3)
        self._login(self.portal_a)
        self.assertEqual(self._promise(self.sub_a), 'done')
        promise = self.Promise.search([])
        suspend_jobs = self._jobs(self.sub_a, 'suspend_subscription')
        mails = self.env['mail.mail'].sudo().search_count([('model', '=', 'isp.subscription'),
                                                          ('res_id', '=', self.sub_a.id)])
        # Within the promise nothing happens; one second after its end it is broken.
        self._at(promise.promised_until - timedelta(hours=1), CLOSE_CRON)
        self.assertEqual(promise.state, 'active')
        self._at(promise.promised_until + timedelta(minutes=1), CLOSE_CRON)
        self.assertEqual(promise.state, 'broken')
        self.assertTrue(promise.closed_at)
        self.assertEqual(self.sub_a.state, 'suspended')
        self.assertTrue(self.sub_a.suspended_for_nonpayment, "paying must reconnect it as for any non-payment")
        self.assertIn("promise to pay broken", self.sub_a.suspension_reason)
        self.assertIn(self.invoice_a.name, self.sub_a.suspension_reason)
        new_jobs = self._jobs(self.sub_a, 'suspend_subscription') - suspend_jobs
        self.assertEqual(len(new_jobs), 1)
        self.assertEqual(new_jobs.state, 'queued')
        self.assertGreater(self.env['mail.mail'].sudo().search_count(
            [('model', '=', 'isp.subscription'), ('res_id', '=', self.sub_a.id)]), mails)
        # One promise per invoice.
        self.assertNotIn('id="isp_promise_button"', self._service_page(self.sub_a))
        self.assertEqual(self._promise(self.sub_a), 'refused')
        self.assertIn(f"You have already used your promise to pay for invoice {self.invoice_a.name}",
                      self._service_page(self.sub_a, 'refused'))
        self.assertEqual(self.Promise.search([]), promise)
        self.assertEqual(self.sub_a.state, 'suspended')
        # Paying reconnects, as for any non-payment suspension.
        self._pay(self.invoice_a)
        self.assertEqual(self.sub_a.state, 'active')

    def test_promise_kept_when_paid(self):
        self._set_days(3)
        self._login(self.portal_a)
        self.assertEqual(self._promise(self.sub_a), 'done')
        promise = self.Promise.search([])
        self._pay(self.invoice_a)
        suspend_jobs = self._jobs(self.sub_a, 'suspend_subscription')
        self._at(fields.Date.today(), CLOSE_CRON)
        self.assertEqual(promise.state, 'kept')
        self.assertEqual(self.sub_a.state, 'active')
        self._at(promise.promised_until + timedelta(days=1), CLOSE_CRON)
        self.assertEqual(promise.state, 'kept')
        self.assertEqual(self.sub_a.state, 'active')
        self.assertEqual(self._jobs(self.sub_a, 'suspend_subscription'), suspend_jobs)

    def test_promise_suspension_cron_spares_the_subscription_during_the_promise(self):
        self._set_days(60)
        self._login(self.portal_a)
        self.assertEqual(self._promise(self.sub_a), 'done')
        promise = self.Promise.search([])
        self._at(self.overdue_day + timedelta(days=1), SUSPEND_CRON)
        self.assertEqual(self.sub_a.state, 'active')
        # Without the promise, the same run cuts it.
        promise.action_cancel()
        self._at(self.overdue_day + timedelta(days=1), SUSPEND_CRON)
        self.assertEqual(self.sub_a.state, 'suspended')

    def test_promise_portal_users_read_their_own_promises_only(self):
        self._set_days(3)
        self._login(self.portal_a)
        self._promise(self.sub_a)
        promise = self.Promise.search([])
        self.assertEqual(self.Promise.with_user(self.portal_a).search([]), promise)
        self.assertFalse(self.Promise.with_user(self.portal_b).search([]))
        with self.assertRaises(AccessError):
            promise.with_user(self.portal_a).write({'state': 'kept'})
        with self.assertRaises(AccessError):
            self.Promise.with_user(self.portal_a).create({
                'subscription_id': self.sub_a.id, 'partner_id': self.customer.id, 'invoice_id': self.invoice_a.id,
                'promised_until': fields.Datetime.now() + timedelta(days=30)})

    def test_promise_tour(self):
        self._set_days(5)
        self.start_tour(f'/my/isp/service/{self.sub_a.id}', 'isp_portal_promise', login='portal_a')
        promise = self.Promise.search([])
        self.assertEqual(promise.state, 'active')
        self.assertEqual(self.sub_a.state, 'active')

from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import IspCoreCase


@tagged('post_install', '-at_install')
class TestPlanChangeRequest(IspCoreCase):

    def setUp(self):
        super().setUp()
        self.sub = self._active_subscription()

    def _request(self, **values):
        vals = {'subscription_id': self.sub.id, 'requested_plan_id': self.plan_fast.id}
        vals.update(values)
        return self.env['isp.plan.change.request'].with_user(self.support_user).create(vals)

    def _change_plan_jobs(self):
        return self.sub.job_ids.filtered(lambda j: j.job_type == 'change_plan')

    def test_request_records_current_plan(self):
        request = self._request()
        self.assertTrue(request.name.startswith('PCR/'))
        self.assertEqual((request.state, request.current_plan_id, request.partner_id),
                         ('requested', self.plan, self.partner))

    def test_approve_defaults_to_next_billing_period(self):
        with freeze_time('2026-03-15'):
            self.sub.write({'next_invoice_date': False, 'billing_day': 1})
            request = self._request()
            request.action_approve()
            self.assertEqual((request.state, request.effective_date), ('approved', date(2026, 4, 1)))
            self.assertEqual(request.approved_by, self.support_user)
            self.assertEqual(self.sub.plan_id, self.plan)
            self.assertFalse(self._change_plan_jobs())

    def test_approve_uses_future_next_invoice_date(self):
        with freeze_time('2026-03-15'):
            self.sub.next_invoice_date = date(2026, 3, 20)
            request = self._request()
            request.action_approve()
            self.assertEqual(request.effective_date, date(2026, 3, 20))

    def test_approve_immediate_applies_and_queues_change_plan(self):
        request = self._request()
        request.action_approve_immediate()
        self.assertEqual(request.state, 'applied')
        self.assertTrue(request.applied_at)
        self.assertEqual(self.sub.plan_id, self.plan_fast)
        self.assertEqual(len(self._change_plan_jobs()), 1)

    def test_cron_applies_due_requests(self):
        with freeze_time('2026-03-15'):
            self.sub.write({'next_invoice_date': False, 'billing_day': 1})
            request = self._request()
            request.action_approve()
        with freeze_time('2026-04-01 08:00:00'):
            self.env['isp.plan.change.request']._cron_apply_due_requests()
        self.assertEqual(request.state, 'applied')
        self.assertEqual(self.sub.plan_id, self.plan_fast)
        self.assertEqual(len(self._change_plan_jobs()), 1)

    def test_reject_requires_reason(self):
        request = self._request()
        with self.assertRaisesRegex(UserError, "Give a reason to reject"):
            request.action_reject()
        request.action_reject("Coverage does not allow 100 Mbps yet")
        self.assertEqual((request.state, request.rejection_reason),
                         ('rejected', "Coverage does not allow 100 Mbps yet"))
        self.assertEqual(self.sub.plan_id, self.plan)

    def test_wrong_state_calls(self):
        request = self._request()
        with self.assertRaisesRegex(UserError, "cannot be applied: it is Requested"):
            request.action_apply()
        request.action_reject("no")
        with self.assertRaisesRegex(UserError, "cannot be approved: it is Rejected"):
            request.action_approve()

    def test_same_plan_refused(self):
        with self.assertRaisesRegex(ValidationError, "already has plan DHCP 20/5"):
            self._request(requested_plan_id=self.plan.id)

    def test_one_open_request_per_subscription(self):
        self._request()
        self.assertIntegrityError('isp.plan.change.request', self._request,
                                  "This subscription already has an open plan change request.")

    def test_terminated_subscription_refused(self):
        self.sub.action_terminate()
        with self.assertRaisesRegex(ValidationError, "is terminated"):
            self._request()

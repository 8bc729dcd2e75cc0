import json

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import IspCoreCase


@tagged('post_install', '-at_install')
class TestSubscriptionLifecycle(IspCoreCase):

    def _jobs(self, sub, job_type):
        return sub.job_ids.filtered(lambda j: j.job_type == job_type)

    def test_activate_queues_job_and_sets_dates(self):
        sub = self._subscription()
        self.assertIs(sub.action_activate(), True)
        self.assertEqual(sub.state, 'active')
        self.assertTrue(sub.start_date)
        self.assertEqual(sub.next_invoice_date, sub.start_date)
        job = self._jobs(sub, 'activate_subscription')
        self.assertEqual(len(job), 1)
        self.assertEqual((job.state, job.device_id, job.attempts, job.max_attempts), ('queued', self.device, 0, 5))
        payload = json.loads(job.payload_json)
        self.assertEqual(payload['subscription'], sub.name)
        self.assertEqual(payload['job_type'], 'activate_subscription')
        self.assertEqual(payload['desired']['service_mac'], sub.service_mac)
        self.assertEqual((payload['desired']['down_mbps'], payload['desired']['up_mbps']), (20, 5))

    def test_payload_never_contains_pppoe_password(self):
        sub = self._active_subscription(auth_method='pppoe', pppoe_username='secretive', pppoe_password='hunter22')
        self.assertNotIn('hunter22', sub.job_ids.payload_json)

    def test_activate_requires_customer_router_and_mac(self):
        sub = self._subscription(partner_id=False, device_id=False, service_mac=False)
        with self.assertRaisesRegex(UserError, "cannot be activated without a customer, a router, the service MAC"):
            sub.action_activate()
        self.assertFalse(sub.job_ids)

    def test_activate_static_requires_ip(self):
        sub = self._subscription(dhcp_mode='static')
        with self.assertRaisesRegex(UserError, "a static IP address"):
            sub.action_activate()

    def test_activate_wrong_state(self):
        sub = self._active_subscription()
        with self.assertRaisesRegex(UserError, "cannot be activated: it is Active. Only Draft subscriptions"):
            sub.action_activate()
        self.assertEqual(len(sub.job_ids), 1)

    def test_suspend_and_reconnect(self):
        sub = self._active_subscription()
        self.assertIs(sub.action_suspend(), True)
        self.assertEqual(sub.state, 'suspended')
        self.assertEqual(len(self._jobs(sub, 'suspend_subscription')), 1)
        self.assertIs(sub.action_reconnect(), True)
        self.assertEqual(sub.state, 'active')
        self.assertEqual(len(self._jobs(sub, 'reconnect_subscription')), 1)

    def test_suspend_wrong_state(self):
        sub = self._subscription()
        with self.assertRaisesRegex(UserError, "cannot be suspended: it is Draft. Only Active subscriptions"):
            sub.action_suspend()

    def test_reconnect_wrong_state(self):
        sub = self._active_subscription()
        with self.assertRaisesRegex(UserError, "cannot be reconnected: it is Active. Only Suspended"):
            sub.action_reconnect()

    def test_terminate_active_queues_job(self):
        sub = self._active_subscription()
        sub.action_suspend()
        self.assertIs(sub.action_terminate(), True)
        self.assertEqual(sub.state, 'terminated')
        self.assertTrue(sub.terminated_date)
        self.assertEqual(len(self._jobs(sub, 'terminate_subscription')), 1)

    def test_terminate_never_provisioned_draft_queues_nothing(self):
        sub = self._subscription()
        sub.action_terminate()
        self.assertEqual(sub.state, 'terminated')
        self.assertFalse(sub.job_ids)

    def test_terminate_twice_refused(self):
        sub = self._subscription()
        sub.action_terminate()
        with self.assertRaisesRegex(UserError, "cannot be terminated: it is Terminated"):
            sub.action_terminate()

    def test_plan_change_on_active_queues_change_plan(self):
        sub = self._active_subscription()
        sub.plan_id = self.plan_fast
        job = self._jobs(sub, 'change_plan')
        self.assertEqual(len(job), 1)
        self.assertEqual(json.loads(job.payload_json)['desired']['down_mbps'], 100)
        sub.plan_id = self.plan_fast
        self.assertEqual(len(self._jobs(sub, 'change_plan')), 1, "same plan again: nothing to do")

    def test_plan_change_on_draft_queues_nothing(self):
        sub = self._subscription()
        sub.plan_id = self.plan_fast
        self.assertFalse(sub.job_ids)

    def test_transitions_write_audit_rows(self):
        sub = self._active_subscription()
        sub.action_suspend()
        audit = self.env['isp.audit_log'].search(
            [('record_model', '=', 'isp.subscription'), ('record_id', '=', sub.id)], order='id')
        self.assertEqual(audit.mapped('action'), ['subscription.activate', 'subscription.suspend'])
        self.assertEqual(audit[1].job_id, self._jobs(sub, 'suspend_subscription'))
        self.assertEqual((json.loads(audit[1].before_json), json.loads(audit[1].after_json)), ('active', 'suspended'))

    def test_suspension_reason_is_kept_tracked_and_cleared_on_reconnection(self):
        self.env = self.env(context=dict(self.env.context, tracking_disable=False))
        sub = self._active_subscription()
        self.env.flush_all()
        self.env.cr.precommit.run()  # activation and suspension are two user actions, two commits
        sub.action_suspend(reason="  customer request  ")
        self.assertEqual(sub.suspension_reason, "customer request")
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written at commit
        tracked = self.env['mail.tracking.value'].search([
            ('mail_message_id.model', '=', sub._name), ('mail_message_id.res_id', '=', sub.id),
            ('field_id.name', '=', 'suspension_reason')])
        self.assertEqual(tracked.new_value_char, "customer request")
        sub.action_reconnect()
        self.assertFalse(sub.suspension_reason)

    def test_suspension_reason_must_be_text(self):
        sub = self._active_subscription()
        for bad in ("   ", 42, ""):
            with self.assertRaisesRegex(UserError, "non-empty text"):
                sub.action_suspend(reason=bad)
        self.assertEqual(sub.state, 'active')

    def test_suspend_wizard_asks_for_the_reason(self):
        subs = self._active_subscription() | self._active_subscription()
        action = subs[0].action_open_suspend_wizard()
        self.assertEqual((action['res_model'], action['target']), ('isp.subscription.suspend', 'new'))
        wizard = self.env['isp.subscription.suspend'].with_user(self.noc_user).with_context(
            active_model='isp.subscription', active_ids=subs.ids).create({'reason': "equipment returned"})
        self.assertEqual(wizard.subscription_ids, subs)
        wizard.action_confirm()
        self.assertEqual(subs.mapped('state'), ['suspended', 'suspended'])
        self.assertEqual(subs.mapped('suspension_reason'), ["equipment returned"] * 2)
        self.assertEqual(len(subs.job_ids.filtered(lambda j: j.job_type == 'suspend_subscription')), 2)
        with self.assertRaises(AccessError):
            self.env['isp.subscription.suspend'].with_user(self.field_user).create(
                {'reason': "x", 'subscription_ids': [Command.set(subs.ids)]})

    def test_onu_assignment_history(self):
        onu = self.env['isp.onu'].create({'serial': 'ZTEG0100'})
        sub = self._subscription(onu_id=onu.id)
        sub.action_activate()
        self.assertEqual(sub.onu_assignment_ids.onu_id, onu)
        self.assertEqual(onu.status, 'installed')
        sub.action_terminate()
        self.assertTrue(sub.onu_assignment_ids.unassigned_at)

    def test_noc_user_runs_lifecycle_without_job_acl(self):
        sub = self._subscription().with_user(self.noc_user)
        sub.action_activate()
        self.assertEqual(sub.state, 'active')
        self.assertEqual(sub.job_count, 1)

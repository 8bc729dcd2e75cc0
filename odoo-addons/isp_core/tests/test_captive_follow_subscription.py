import json

from odoo.tests import tagged

from .common import IspCoreCase


@tagged('post_install', '-at_install')
class TestCaptiveFollowsSubscription(IspCoreCase):
    """Suspension, reconnection and termination of a subscription reach its hotspot users."""

    def setUp(self):
        super().setUp()
        self.sub = self._active_subscription()
        Captive = self.env['isp.captive.user']
        base = {'subscription_id': self.sub.id, 'device_id': self.device.id}
        self.active = Captive.create(dict(base, name='cu-active', state='active'))
        self.pending = Captive.create(dict(base, name='cu-pending'))
        self.pending._queue_jobs('captive_user_create')
        self.disabled = Captive.create(dict(base, name='cu-disabled', state='disabled'))
        self.never = Captive.create(dict(base, name='cu-never'))  # pending, never queued
        self.other = Captive.create({'name': 'cu-other-sub', 'device_id': self.device.id, 'state': 'active'})
        self.Job = self.env['isp.provisioning_job']

    def _captive_jobs(self, job_type):
        return self.Job.search([('job_type', '=', job_type), ('captive_user_id', '!=', False)])

    def test_captive_remove_job_type_exists(self):
        job_types = dict(self.Job._fields['job_type'].selection)
        self.assertEqual(job_types['captive_user_remove'], "Remove captive user")
        self.assertIn('removed', dict(self.env['isp.captive.user']._fields['state'].selection))

    def test_suspend_disables_active_and_pending_users(self):
        self.sub.action_suspend()
        jobs = self._captive_jobs('captive_user_disable')
        self.assertEqual(jobs.captive_user_id, self.active | self.pending | self.never)
        self.assertEqual(len(jobs), 3)
        self.assertEqual(jobs.device_id, self.device)
        self.assertEqual(jobs.subscription_id, self.sub)
        self.assertEqual(set((self.active | self.pending | self.never).mapped('state')), {'disabled'})
        self.assertEqual((self.active | self.pending | self.never).mapped('suspended_by_subscription'),
                         [True] * 3)
        self.assertFalse(self.disabled.suspended_by_subscription, "it was disabled before the suspension")
        self.assertEqual(self.other.state, 'active')
        self.assertTrue(json.loads(jobs[0].payload_json)['desired']['disabled'])

    def test_reconnect_enables_exactly_the_suspended_ones(self):
        self.sub.action_suspend()
        before = self._captive_jobs('captive_user_create')
        self.sub.action_reconnect()
        jobs = self._captive_jobs('captive_user_create') - before
        self.assertEqual(jobs.captive_user_id, self.active | self.pending | self.never)
        self.assertEqual(len(jobs), 3)
        self.assertEqual(set((self.active | self.pending | self.never).mapped('state')), {'pending'})
        self.assertFalse(any((self.active | self.pending | self.never).mapped('suspended_by_subscription')))
        self.assertEqual(self.disabled.state, 'disabled', "a user disabled by hand stays disabled")

    def test_billing_user_suspends_without_captive_access(self):
        self.sub.with_user(self.billing_user).action_suspend()
        self.assertEqual(len(self._captive_jobs('captive_user_disable')), 3)
        self.sub.with_user(self.billing_user).action_reconnect()
        self.assertEqual(self.active.state, 'pending')

    def test_terminate_removes_users_that_reached_a_router(self):
        self.sub.action_suspend()
        self.sub.action_terminate()
        jobs = self._captive_jobs('captive_user_remove')
        # cu-never was disabled by the suspension before any router held it: a removal is harmless,
        # and 'disabled' is the state of users a router may hold.
        self.assertEqual(jobs.captive_user_id, self.active | self.pending | self.disabled | self.never)
        self.assertEqual(len(jobs), 4)
        self.assertTrue(json.loads(jobs[0].payload_json)['desired']['removed'])
        self.assertFalse(any(self.sub._captive_users().mapped('suspended_by_subscription')))

    def test_terminate_skips_users_never_provisioned_or_removed(self):
        self.disabled.state = 'removed'
        self.sub.action_terminate()
        jobs = self._captive_jobs('captive_user_remove')
        self.assertEqual(jobs.captive_user_id, self.active | self.pending)

    def test_sidecar_sets_removed_state(self):
        self.assertIs(self.api.sidecar_set_captive_state(self.active.ids, 'removed'), True)
        self.assertEqual(self.active.state, 'removed')

    def test_limits_on_captive_user(self):
        self.active.write({'limit_uptime_hours': 5, 'limit_bytes_mb': 500})
        [row] = self.api.sidecar_captive_users(self.active.ids)
        self.assertEqual((row['id'], row['limit_uptime_hours'], row['limit_bytes_mb']), (self.active.id, 5, 500))
        job = self.active._queue_jobs('captive_user_create')
        self.assertEqual(json.loads(job.payload_json)['desired']['limit_bytes_mb'], 500)
        self.assertIntegrityError('isp.captive.user', lambda: self.active.write({'limit_bytes_mb': -1}),
                                  "Hotspot limits cannot be negative.")

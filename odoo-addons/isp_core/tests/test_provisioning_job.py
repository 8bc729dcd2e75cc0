from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import IspCoreCase


@tagged('post_install', '-at_install')
class TestProvisioningJob(IspCoreCase):

    def setUp(self):
        super().setUp()
        self.sub = self._active_subscription()
        self.job = self.sub.job_ids

    def test_job_name_from_sequence_and_max_attempts_from_settings(self):
        self.assertTrue(self.job.name.startswith('JOB/'))
        self.env['ir.config_parameter'].sudo().set_param('isp_core.provisioning_max_attempts', '3')
        self.sub.action_suspend()
        self.assertEqual(self.sub.job_ids.sorted('id')[-1].max_attempts, 3)

    def test_sidecar_runs_job_to_success(self):
        self.assertIs(self.api.sidecar_mark_running(self.job.ids), True)
        self.assertEqual((self.job.state, self.job.attempts), ('running', 1))
        self.assertTrue(self.job.started_at)
        self.assertIs(self.api.sidecar_mark_done(self.job.ids), True)
        self.assertEqual(self.job.state, 'success')
        self.assertTrue(self.job.executed_at)

    def test_mark_done_says_when_the_cut_takes_effect(self):
        self.api.sidecar_mark_running(self.job.ids)
        messages = len(self.sub.message_ids)
        self.assertIs(self.api.sidecar_mark_done(self.job.ids, notes={str(self.job.id): 'cut_at_next_lease'}), True)
        self.assertEqual(self.job.state, 'success')
        self.assertEqual(self.job.result_note, 'cut_at_next_lease')
        self.assertIn("not online now", self.sub.message_ids[0].body)
        self.assertEqual(len(self.sub.message_ids), messages + 1)
        self.assertIn(self.job.name, self.sub.message_ids[0].body)

    def test_mark_done_refuses_unknown_notes_and_writes_nothing(self):
        self.api.sidecar_mark_running(self.job.ids)
        for notes in ({str(self.job.id): 'all_good'}, {'9999999': 'cut_at_next_lease'}, {'x': 'cut_at_next_lease'},
                      ['cut_at_next_lease']):
            with self.subTest(notes=notes), self.assertRaises(UserError):
                self.api.sidecar_mark_done(self.job.ids, notes=notes)
        self.assertEqual(self.job.state, 'running')
        self.assertFalse(self.job.result_note)

    def test_failed_attempt_requeues_until_max(self):
        self.job.max_attempts = 2
        self.api.sidecar_mark_running(self.job.ids)
        self.api.sidecar_mark_failed(self.job.ids, "trap: no such item")
        self.assertEqual((self.job.state, self.job.attempts, self.job.error_message),
                         ('queued', 1, "trap: no such item"))
        self.api.sidecar_mark_running(self.job.ids)
        self.api.sidecar_mark_failed(self.job.ids, "trap: still broken")
        self.assertEqual((self.job.state, self.job.attempts), ('failed', 2))

    def test_final_failure_skips_retries(self):
        self.api.sidecar_mark_running(self.job.ids)
        self.api.sidecar_mark_failed(self.job.ids, "invalid desired state", final=True)
        self.assertEqual(self.job.state, 'failed')

    def test_waiting_for_router_keeps_job_queued_and_gives_attempt_back(self):
        self.api.sidecar_mark_running(self.job.ids)
        self.assertIs(self.api.sidecar_mark_waiting(self.job.ids, "connect ECONNREFUSED 10.0.0.1:8728"), True)
        self.assertEqual((self.job.state, self.job.attempts, self.job.waiting_router), ('queued', 0, True))
        waiting = self.env['isp.provisioning_job'].search([('waiting_router', '=', True), ('state', '=', 'queued')])
        self.assertEqual(waiting, self.job)
        self.api.sidecar_mark_running(self.job.ids)
        self.assertFalse(self.job.waiting_router)

    def test_mark_done_refused_on_cancelled_job(self):
        self.job.action_cancel()
        with self.assertRaisesRegex(UserError, "Cannot complete job .*: it is Cancelled"):
            self.api.sidecar_mark_done(self.job.ids)

    def test_state_methods_refused_to_plain_staff(self):
        with self.assertRaisesRegex(AccessError, "Only the ISP services user"):
            self.env['isp.sidecar.api'].with_user(self.noc_user).sidecar_mark_running(self.job.ids)
        self.assertFalse(hasattr(self.job, 'action_mark_running'), "the services' methods live on isp.sidecar.api")

    def test_requeue_failed_resets_attempts(self):
        self.api.sidecar_mark_running(self.job.ids)
        self.api.sidecar_mark_failed(self.job.ids, "boom", final=True)
        self.assertIs(self.job.with_user(self.noc_user).action_requeue(), True)
        self.assertEqual((self.job.state, self.job.attempts, self.job.error_message), ('queued', 0, False))

    def test_requeue_queued_refused(self):
        with self.assertRaisesRegex(UserError, "Cannot requeue job .*: it is Queued"):
            self.job.action_requeue()

    def test_cancel_running_refused(self):
        self.api.sidecar_mark_running(self.job.ids)
        with self.assertRaisesRegex(UserError, "Cannot cancel job .*: it is Running"):
            self.job.with_user(self.noc_user).action_cancel()

    def test_sidecar_pending_jobs(self):
        pending = self.api.sidecar_pending_jobs()
        mine = [row for row in pending if row['id'] == self.job.id]
        self.assertEqual(len(mine), 1)
        self.assertEqual((mine[0]['job_type'], mine[0]['subscription_id'], mine[0]['device_id']),
                         ('activate_subscription', self.sub.id, self.device.id))
        with self.assertRaises(AccessError):
            self.env['isp.sidecar.api'].with_user(self.noc_user).sidecar_pending_jobs()

    def test_sidecar_pending_jobs_lists_jobs_waiting_for_a_router_last(self):
        queued_before = self.env['isp.provisioning_job'].search([('state', '=', 'queued')])
        self.api.sidecar_mark_running(self.job.ids)
        self.api.sidecar_mark_waiting(self.job.ids, "connect ETIMEDOUT")
        later = self._active_subscription().job_ids
        pending = [row['id'] for row in self.api.sidecar_pending_jobs(limit=500)]
        self.assertEqual(pending[-1], self.job.id)
        self.assertIn(later.id, pending)
        self.assertEqual(len(pending), len(queued_before | later))
        self.assertEqual(self.api.sidecar_pending_jobs(limit=1)[0]['waiting_router'], False)

    def test_smart_buttons(self):
        action = self.sub.action_view_jobs()
        self.assertEqual(self.env['isp.provisioning_job'].search(action['domain']), self.job)
        action = self.device.action_view_jobs()
        self.assertIn(self.job, self.env['isp.provisioning_job'].search(action['domain']))
        self.assertEqual(self.job.action_open_record()['res_id'], self.sub.id)

    def test_job_form_shows_its_audit_rows(self):
        self.assertEqual(self.job.audit_ids.action, 'subscription.activate')
        self.api.sidecar_append_audit([{
            'action': 'router.ensure_lease', 'record_model': 'isp.subscription', 'record_id': self.sub.id,
            'job_id': self.job.id, 'result': 'success', 'after_json': '{"mac": "x"}'}])
        self.assertEqual(len(self.job.audit_ids), 2)

    def test_device_jobs_and_status_report(self):
        jobs = self.device._queue_device_job('device_healthcheck')
        self.assertEqual((jobs.job_type, jobs.device_id, jobs.sector_id),
                         ('device_healthcheck', self.device, self.sector))
        self.api.sidecar_report_router_status(
            self.device.id, {'status': 'online', 'routeros_version': '7.16.2', 'board_name': 'hAP ax2'})
        self.assertEqual((self.device.status, self.device.routeros_version), ('online', '7.16.2'))
        self.assertTrue(self.device.last_seen)
        with self.assertRaisesRegex(Exception, "cannot be reported by the provisioner: mgmt_ip"):
            self.api.sidecar_report_router_status(self.device.id, {'mgmt_ip': '1.2.3.4'})
        with self.assertRaises(AccessError):
            self.env['isp.sidecar.api'].with_user(self.noc_user).sidecar_report_router_status(
                self.device.id, {'status': 'online'})

    def test_direct_writes_limited_per_caller(self):
        with self.assertRaisesRegex(AccessError, "change only through the job actions: state"):
            self.job.with_user(self.noc_user).write({'state': 'success'})
        self.job.with_user(self.noc_user).write({'max_attempts': 9})
        self.assertEqual(self.job.max_attempts, 9)
        with self.assertRaises(AccessError, msg="the services have no ORM rights on jobs"):
            self.job.with_user(self.sidecar_user).write({'state': 'running', 'attempts': 1})
        self.assertEqual(self.job.state, 'queued')

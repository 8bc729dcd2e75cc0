from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.isp_core.tests.common import IspCoreCase


@tagged('post_install', '-at_install')
class TestDeviceActions(IspCoreCase):

    def test_test_connection_queues_healthcheck(self):
        action = self.device.with_user(self.noc_user).action_test_connection()
        job = self.device.job_ids.filtered(lambda j: j.job_type == 'device_healthcheck')
        self.assertEqual((len(job), job.state, job.sector_id), (1, 'queued', self.sector))
        self.assertEqual(action['tag'], 'display_notification')
        self.assertIn(job.name, action['params']['message'])

    def test_sync_now_queues_sync_per_router(self):
        (self.device | self.device_b).with_user(self.noc_user).action_sync_now()
        jobs = self.env['isp.provisioning_job'].search(
            [('job_type', '=', 'device_sync'), ('device_id', 'in', (self.device | self.device_b).ids)])
        self.assertEqual(jobs.device_id, self.device | self.device_b)

    def test_support_cannot_queue_router_jobs(self):
        with self.assertRaises(AccessError):
            self.device.with_user(self.support_user).check_access('write')

    def test_provisioner_updates_status_shown_on_device(self):
        api = self.env['isp.sidecar.api'].with_user(self.sidecar_user)
        api.sidecar_report_router_status(self.device.id, {
            'status': 'online', 'routeros_version': '7.16.2 (stable)', 'board_name': 'RB5009UG+S+',
            'identity': 'MikroTik-A'})
        self.assertEqual((self.device.status, self.device.board_name), ('online', 'RB5009UG+S+'))
        seen = self.device.last_seen
        api.sidecar_report_router_status(self.device.id, {'status': 'offline'})
        self.assertEqual((self.device.status, self.device.last_seen), ('offline', seen))

    def test_device_form_loads_with_buttons(self):
        arch = self.env['isp.device'].with_user(self.admin_user).get_views([(False, 'form')])['views']['form']['arch']
        for needle in ('action_test_connection', 'action_sync_now', 'api_password'):
            self.assertIn(needle, arch)
        arch = self.env['isp.device'].with_user(self.support_user).get_views([(False, 'form')])['views']['form']['arch']
        self.assertNotIn('name="api_password"', arch)

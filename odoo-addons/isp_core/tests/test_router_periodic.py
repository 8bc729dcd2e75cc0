from datetime import datetime, timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, tagged

from odoo.addons.isp_core.tools.network import parse_ip_port

from .common import IspCoreCase

NOW = datetime(2026, 5, 4, 10, 0, 0)


@tagged('post_install', '-at_install')
class TestRouterCrons(IspCoreCase):
    """The drift-repair and health-check crons spread the routers over their interval."""

    def setUp(self):
        super().setUp()
        self.env['isp.device'].search([]).active = False
        self.routers = self.env['isp.device'].create([{
            'name': "Cron router %02d" % i, 'sector_id': self.sector.id, 'mgmt_ip': '10.9.0.%d' % (i + 1)}
            for i in range(12)])
        params = self.env['ir.config_parameter'].sudo()
        params.set_param('isp_core.healthcheck_interval_minutes', '15')
        params.set_param('isp_core.sync_interval_hours', '24')
        self.health_cron = self.env.ref('isp_core.ir_cron_isp_router_healthcheck')
        self.sync_cron = self.env.ref('isp_core.ir_cron_isp_router_drift_repair')
        self.health_cron.write({'interval_number': 5, 'interval_type': 'minutes'})
        self.sync_cron.write({'interval_number': 1, 'interval_type': 'hours'})
        self.devices = self.env['isp.device']

    def _jobs(self, job_type):
        return self.env['isp.provisioning_job'].search(
            [('job_type', '=', job_type), ('device_id', 'in', self.routers.ids)])

    def test_crons_are_installed_noupdate(self):
        for cron, code in ((self.health_cron, 'model._cron_router_healthcheck()'),
                           (self.sync_cron, 'model._cron_router_drift_repair()')):
            self.assertEqual((cron.model_id.model, cron.code.strip()), ('isp.device', code))
            self.assertTrue(self.env['ir.model.data'].search(
                [('model', '=', 'ir.cron'), ('res_id', '=', cron.id), ('module', '=', 'isp_core')]).noupdate)

    def test_healthcheck_slices_and_never_duplicates(self):
        # 12 routers, a 15-minute interval and a cron every 5 minutes: 4 routers per run.
        with freeze_time(NOW):
            first = self.devices._cron_router_healthcheck()
            self.assertEqual(first.device_id, self.routers[:4])
            second = self.devices._cron_router_healthcheck()
            self.assertEqual(second.device_id, self.routers[4:8])
            third = self.devices._cron_router_healthcheck()
            self.assertEqual(third.device_id, self.routers[8:])
            self.assertFalse(self.devices._cron_router_healthcheck(), "every router has a queued check")
            (first | second | third).sudo()._mark_done()
            self.assertFalse(self.devices._cron_router_healthcheck(), "none is due yet")
        with freeze_time(NOW + timedelta(minutes=15)):
            again = self.devices._cron_router_healthcheck()
            self.assertEqual(again.device_id, self.routers[:4], "the least recently checked first")
        self.assertEqual(len(self._jobs('device_healthcheck')), 16)
        self.assertEqual(self.routers[0].last_healthcheck_queued_at, NOW + timedelta(minutes=15))

    def test_busy_router_is_skipped(self):
        with freeze_time(NOW):
            waiting = self.routers[0]._queue_device_job('device_healthcheck')
            waiting.sudo()._mark_running()
        with freeze_time(NOW + timedelta(hours=2)):
            jobs = self.devices._cron_router_healthcheck()
        self.assertNotIn(self.routers[0], jobs.device_id)
        self.assertEqual(len(jobs), 4)
        self.assertEqual(self._jobs('device_healthcheck').filtered(
            lambda j: j.device_id == self.routers[0]), waiting, "one job for the router, not a pile")

    def test_drift_repair_spreads_over_the_sync_interval(self):
        # 12 routers over 24 hours with an hourly cron: one per run; a manual sync counts as a sync.
        with freeze_time(NOW - timedelta(hours=1)):
            self.routers[0]._queue_device_job('device_sync').sudo()._mark_done()
        with freeze_time(NOW):
            jobs = self.devices._cron_router_drift_repair()
        self.assertEqual(jobs.device_id, self.routers[1])
        self.assertEqual(jobs.job_type, 'device_sync')
        self.assertEqual(self.routers[1].last_sync_queued_at, NOW)
        self.sync_cron.write({'interval_number': 1, 'interval_type': 'days'})
        with freeze_time(NOW + timedelta(minutes=1)):
            self.assertEqual(self.devices._cron_router_drift_repair().device_id, self.routers - self.routers[1],
                             "a cron as slow as the interval takes every router without a pending sync")

    def test_archived_routers_and_routers_without_address_are_left_out(self):
        self.routers[0].active = False
        self.routers[1].mgmt_ip = False
        self.health_cron.write({'interval_number': 1, 'interval_type': 'hours'})
        jobs = self.devices._cron_router_healthcheck()
        self.assertEqual(jobs.device_id, self.routers[2:])

    def test_interval_parameter_fallback(self):
        params = self.env['ir.config_parameter'].sudo()
        params.set_param('isp_core.sync_interval_hours', 'garbage')
        params.set_param('isp_core.healthcheck_interval_minutes', '30')
        self.assertEqual(self.devices._periodic_interval_minutes('device_sync'), 24 * 60)
        self.assertEqual(self.devices._periodic_interval_minutes('device_healthcheck'), 30)


@tagged('post_install', '-at_install')
class TestRouterSettingsAndPolicy(IspCoreCase):

    def setUp(self):
        super().setUp()
        self.params = self.env['ir.config_parameter'].sudo()
        self.env['isp.captive.walled_garden'].search([]).active = False
        self.garden = self.env['isp.captive.walled_garden']
        self.garden.create([
            {'dst_host': 'pay.example.com'},
            {'dst_host': 'help.example.com', 'device_ids': [(6, 0, self.device.ids)]},
            {'dst_host': 'b-only.example.com', 'device_ids': [(6, 0, self.device_b.ids)]},
            {'dst_host': 'both.example.com', 'device_ids': [(6, 0, (self.device | self.device_b).ids)]},
            {'dst_host': 'old.example.com', 'active': False},
        ])

    def test_settings_save_intervals_and_redirect(self):
        self.params.set_param('isp_core.sync_interval_hours', False)
        self.params.set_param('isp_core.healthcheck_interval_minutes', False)
        defaults = self.env['res.config.settings'].create({})
        self.assertEqual((defaults.isp_sync_interval_hours, defaults.isp_healthcheck_interval_minutes,
                          defaults.isp_suspended_redirect_address), (24, 15, False))
        settings = self.env['res.config.settings'].create({
            'isp_sync_interval_hours': 12,
            'isp_healthcheck_interval_minutes': 10,
            'isp_suspended_redirect_address': ' 10.0.0.5:80 ',
        })
        settings.execute()
        self.assertEqual(self.params.get_param('isp_core.sync_interval_hours'), '12')
        self.assertEqual(self.params.get_param('isp_core.healthcheck_interval_minutes'), '10')
        self.assertEqual(self.env['isp.device']._suspended_redirect_address(), '10.0.0.5:80')
        settings.write({'isp_suspended_redirect_address': False})
        settings.execute()
        self.assertFalse(self.env['isp.device']._suspended_redirect_address())

    def test_settings_refuse_bad_values(self):
        for vals in ({'isp_suspended_redirect_address': '10.0.0.5'},
                     {'isp_suspended_redirect_address': 'notice.example.com:80'},
                     {'isp_suspended_redirect_address': '10.0.0.5:70000'},
                     {'isp_suspended_redirect_address': '10.0.0.256:80'},
                     {'isp_sync_interval_hours': 0},
                     {'isp_healthcheck_interval_minutes': -5}):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self.env['res.config.settings'].create(vals)

    def test_parse_ip_port(self):
        self.assertEqual(parse_ip_port('10.0.0.5:8080'), ('10.0.0.5', 8080))
        for bad in ('10.0.0.5', ':80', '10.0.0.5:', '10.0.0.5:0', '10.0.0.5:x', 'fe80::1:80', None, 80):
            self.assertIsNone(parse_ip_port(bad), bad)

    def test_router_policy_content(self):
        self.params.set_param('isp_core.suspended_redirect_address', '10.0.0.5:80')
        policy = self.api.sidecar_router_policy(
            [self.device_b.id, self.device.id])
        self.assertEqual(policy, [
            {'device_id': self.device_b.id, 'suspended_redirect': '10.0.0.5:80',
             'walled_garden': ['b-only.example.com', 'both.example.com', 'pay.example.com']},
            {'device_id': self.device.id, 'suspended_redirect': '10.0.0.5:80',
             'walled_garden': ['both.example.com', 'help.example.com', 'pay.example.com']},
        ])

    def test_router_policy_without_redirect(self):
        for value in ('', 'not-an-address'):
            self.params.set_param('isp_core.suspended_redirect_address', value)
            policy = self.api.sidecar_router_policy([self.device.id])
            self.assertIs(policy[0]['suspended_redirect'], False)

    def test_router_policy_access_guard(self):
        for user in (self.plain_user, self.admin_user, self.noc_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env['isp.sidecar.api'].with_user(user).sidecar_router_policy([self.device.id])

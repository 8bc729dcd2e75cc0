from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import IspCoreCase


@tagged('post_install', '-at_install')
class TestSecurity(IspCoreCase):

    def test_group_xmlids_and_privilege(self):
        privilege = self.env.ref('isp_core.res_groups_privilege_isp')
        for xmlid in ('group_isp_admin', 'group_isp_noc', 'group_isp_support', 'group_isp_billing', 'group_isp_field'):
            self.assertEqual(self.env.ref('isp_core.' + xmlid).privilege_id, privilege)
        self.assertEqual(self.env.ref('isp_core.group_isp_sidecar').api_key_duration, 365.0)

    def test_admin_implies_every_staff_group(self):
        for xmlid in ('group_isp_noc', 'group_isp_support', 'group_isp_billing', 'group_isp_field'):
            self.assertTrue(self.admin_user.has_group('isp_core.' + xmlid))

    def test_pppoe_password_admin_and_sidecar_api_only(self):
        sub = self._subscription(auth_method='pppoe', pppoe_username='pw-test', pppoe_password='top-secret')
        self.assertEqual(sub.with_user(self.admin_user).pppoe_password, 'top-secret')
        [row] = self.api.sidecar_subscription_snapshot(subscription_ids=sub.ids)
        self.assertEqual(row['pppoe_password'], 'top-secret')
        for user in (self.noc_user, self.support_user, self.billing_user, self.field_user, self.sidecar_user):
            with self.assertRaises(AccessError, msg=user.login):
                sub.with_user(user).read(['pppoe_password'])
            self.assertNotIn('pppoe_password', sub.with_user(user).fields_get())

    def test_support_reads_but_cannot_change_subscriptions(self):
        sub = self._subscription()
        self.assertEqual(sub.with_user(self.support_user).name, sub.name)
        with self.assertRaises(AccessError):
            sub.with_user(self.support_user).write({'gps_lat': 1.0})
        with self.assertRaises(AccessError):
            sub.with_user(self.support_user).action_activate()

    def test_field_technician_sets_gps_but_cannot_create(self):
        sub = self._subscription()
        sub.with_user(self.field_user).write({'gps_lat': 18.5, 'gps_lng': -69.9})
        self.assertEqual(sub.gps_lat, 18.5)
        with self.assertRaises(AccessError):
            self.env['isp.subscription'].with_user(self.field_user).create({'plan_id': self.plan.id})

    def test_billing_manages_plans_not_routers(self):
        self.plan.with_user(self.billing_user).price = 27.0
        with self.assertRaises(AccessError):
            self.device.with_user(self.billing_user).write({'name': 'x'})

    def test_sidecar_cannot_touch_subscriptions(self):
        sub = self._subscription()
        with self.assertRaises(AccessError):
            sub.with_user(self.sidecar_user).write({'plan_id': self.plan_fast.id})

    def test_plain_internal_user_sees_nothing(self):
        with self.assertRaises(AccessError):
            self.env['isp.subscription'].with_user(self.plain_user).search([])

    def test_sector_restriction_for_staff(self):
        mine = self._subscription()
        other = self._subscription(sector_id=self.sector_b.id, device_id=self.device_b.id)
        for user in (self.noc_user, self.support_user, self.billing_user, self.field_user):
            user.isp_sector_ids = self.sector
            visible = self.env['isp.subscription'].with_user(user).search([('id', 'in', (mine | other).ids)])
            self.assertEqual(visible, mine, user.login)
            devices = self.env['isp.device'].with_user(user).search([])
            self.assertEqual(devices, self.device, user.login)

    def test_no_sector_list_means_all_sectors(self):
        subs = self._subscription() | self._subscription(sector_id=self.sector_b.id, device_id=self.device_b.id)
        visible = self.env['isp.subscription'].with_user(self.noc_user).search([('id', 'in', subs.ids)])
        self.assertEqual(visible, subs)

    def test_admin_ignores_own_sector_list(self):
        self.admin_user.isp_sector_ids = self.sector
        other = self._subscription(sector_id=self.sector_b.id, device_id=self.device_b.id)
        self.assertEqual(self.env['isp.subscription'].with_user(self.admin_user).search([('id', '=', other.id)]),
                         other)

    def test_jobs_follow_sector_restriction(self):
        other = self._active_subscription(sector_id=self.sector_b.id, device_id=self.device_b.id)
        self.noc_user.isp_sector_ids = self.sector
        self.assertFalse(self.env['isp.provisioning_job'].with_user(self.noc_user).search(
            [('id', 'in', other.job_ids.ids)]))

    def test_network_inventory_and_captive_users_follow_sector_restriction(self):
        Olt, Onu, Captive = self.env['isp.olt'], self.env['isp.onu'], self.env['isp.captive.user']
        olt_a = Olt.create({'name': "OLT A", 'sector_id': self.sector.id, 'pon_ports': 8})
        olt_b = Olt.create({'name': "OLT B", 'sector_id': self.sector_b.id, 'pon_ports': 8})
        onu_a = Onu.create({'serial': 'SEC-A-ONU', 'olt_id': olt_a.id, 'sector_id': self.sector.id})
        onu_b = Onu.create({'serial': 'SEC-B-ONU', 'olt_id': olt_b.id, 'sector_id': self.sector_b.id})
        onu_stock = Onu.create({'serial': 'STOCK-ONU'})
        captive_a = Captive.create({'name': 'guest-a', 'device_id': self.device.id})
        captive_b = Captive.create({'name': 'guest-b', 'device_id': self.device_b.id})
        captive_unplaced = Captive.create({'name': 'guest-new'})
        self.noc_user.isp_sector_ids = self.sector
        as_noc = self.env(user=self.noc_user)
        self.assertEqual(as_noc['isp.olt'].search([('id', 'in', (olt_a | olt_b).ids)]), olt_a)
        # ONUs in stock (no sector yet) stay visible, so that a technician can install one.
        self.assertEqual(as_noc['isp.onu'].search([('id', 'in', (onu_a | onu_b | onu_stock).ids)]),
                         onu_a | onu_stock)
        self.assertEqual(as_noc['isp.captive.user'].search(
            [('id', 'in', (captive_a | captive_b | captive_unplaced).ids)]), captive_a | captive_unplaced)
        self.assertEqual(self.env(user=self.admin_user)['isp.olt'].search([('id', 'in', (olt_a | olt_b).ids)]),
                         olt_a | olt_b)

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import IspCoreCase


def lease(mac, ip='10.20.0.15', bound=True, router='MikroTik-A', **extra):
    body = {'mac': mac, 'ip': ip, 'bound': bound, 'server': 'dhcp-lan', 'hostname': 'ONU-1', 'router': router}
    body.update(extra)
    return body


@tagged('post_install', '-at_install')
class TestRegisterLeases(IspCoreCase):

    def setUp(self):
        super().setUp()
        self.profiles = self.env['isp.mac.profile'].with_user(self.sidecar_user)
        self.params = self.env['ir.config_parameter'].sudo()

    def _set(self, **flags):
        for key, value in flags.items():
            self.params.set_param('isp_core.' + key, value)

    def test_creates_profile_with_router_and_timestamps(self):
        result = self.profiles.register_leases([lease('02-00-00-00-AA-01')])
        profile = self.env['isp.mac.profile'].browse(result['profile_ids'])
        self.assertEqual(result['results'], [{'index': 0, 'mac': '02:00:00:00:AA:01', 'profile_id': profile.id,
                                              'error': False, 'warning': False}])
        self.assertEqual((profile.mac_address, profile.ip_address, profile.device_id, profile.sector_id),
                         ('02:00:00:00:AA:01', '10.20.0.15', self.device, self.sector))
        self.assertTrue(profile.bound)
        self.assertTrue(profile.first_seen and profile.last_seen and profile.bound_at)
        self.assertFalse(profile.released_at)

    def test_router_matched_by_serial(self):
        result = self.profiles.register_leases([lease('02:00:00:00:AA:02', router='SER-B')])
        self.assertEqual(self.env['isp.mac.profile'].browse(result['profile_ids']).device_id, self.device_b)

    def test_serial_matched_before_identity(self):
        # The lease names router A by identity but carries router B's serial: the serial wins.
        result = self.profiles.register_leases([lease('02:00:00:00:AB:01', router='MikroTik-A', serial='SER-B')])
        profile = self.env['isp.mac.profile'].browse(result['profile_ids'])
        self.assertEqual(profile.device_id, self.device_b)
        self.assertFalse(profile.router_match_note)

    def test_unknown_serial_falls_back_to_identity(self):
        result = self.profiles.register_leases([lease('02:00:00:00:AB:02', router='MikroTik-A', serial='NEW-1')])
        self.assertEqual(self.env['isp.mac.profile'].browse(result['profile_ids']).device_id, self.device)

    def test_serial_must_be_a_string(self):
        result = self.profiles.register_leases([lease('02:00:00:00:AB:03', serial=12345)])
        self.assertEqual(result['profile_ids'], [])
        self.assertIn('serial', result['results'][0]['error'])

    def _factory_routers(self, count):
        return self.env['isp.device'].create([{
            'name': "Factory %d" % i, 'sector_id': self.sector.id, 'identity': 'MikroTik',
        } for i in range(count)])

    def test_ambiguous_identity_gets_no_router_and_a_note(self):
        self._set(mac_auto_create='1', mac_default_plan_id=str(self.plan.id))
        self._factory_routers(2)
        with self.assertLogs('odoo.addons.isp_core.models.isp_mac_profile', level='WARNING') as logs:
            result = self.profiles.register_leases([lease('02:00:00:00:AB:04', router='MikroTik')])
        profile = self.env['isp.mac.profile'].browse(result['profile_ids'])
        self.assertFalse(profile.device_id)
        self.assertIn("2 routers have the identity MikroTik", profile.router_match_note)
        self.assertEqual(result['results'][0]['warning'], profile.router_match_note)
        self.assertFalse(profile.subscription_id, "no draft subscription on a guessed router")
        self.assertIn("'MikroTik'", logs.output[0])

    def test_ambiguous_lease_clears_the_router_an_earlier_lease_gave(self):
        first = self.profiles.register_leases([lease('02:00:00:00:AB:05', router='MikroTik')])
        profile = self.env['isp.mac.profile'].browse(first['profile_ids'])
        factory = self._factory_routers(1)
        self.assertFalse(profile.device_id)
        self.assertIn("No router has the identity or serial MikroTik", profile.router_match_note)
        # One router named MikroTik: matched, note gone.
        self.profiles.register_leases([lease('02:00:00:00:AB:05', router='MikroTik')])
        profile.invalidate_recordset()
        self.assertEqual((profile.device_id, profile.router_match_note), (factory, False))
        # A second one: the next lease cannot say which one, so the profile has none.
        self._factory_routers(1)
        with self.assertLogs('odoo.addons.isp_core.models.isp_mac_profile', level='WARNING'):
            self.profiles.register_leases([lease('02:00:00:00:AB:05', router='MikroTik')])
        profile.invalidate_recordset()
        self.assertFalse(profile.device_id)
        self.assertTrue(profile.router_match_note)
        # With the serial of one of them in Odoo and in the lease, it is matched again.
        factory.serial = 'HEX123456789'
        self.profiles.register_leases([lease('02:00:00:00:AB:05', router='MikroTik', serial='HEX123456789')])
        profile.invalidate_recordset()
        self.assertEqual((profile.device_id, profile.router_match_note), (factory, False))

    def test_unknown_serial_and_identity_noted(self):
        result = self.profiles.register_leases([lease('02:00:00:00:AB:06', router='nowhere', serial='NOPE-1')])
        self.assertEqual(result['results'][0]['warning'],
                         "No router has the serial NOPE-1 or the identity nowhere.")

    def test_release_updates_existing_profile(self):
        first = self.profiles.register_leases([lease('02:00:00:00:AA:03')])['profile_ids']
        second = self.profiles.register_leases([lease('02:00:00:00:aa:03', ip='', bound=False)])['profile_ids']
        self.assertEqual(first, second)
        profile = self.env['isp.mac.profile'].browse(first)
        self.assertFalse(profile.bound)
        self.assertTrue(profile.released_at)
        self.assertEqual(profile.ip_address, '10.20.0.15', "a release without IP keeps the last address")

    def test_routeros_text_flags_accepted(self):
        result = self.profiles.register_leases([lease('02:00:00:00:AA:04', bound='0', ip='10.20.0.4')])
        self.assertFalse(self.env['isp.mac.profile'].browse(result['profile_ids']).bound)

    def test_bad_entries_reported_good_ones_saved(self):
        result = self.profiles.register_leases([
            lease('02:00:00:00:AA:05'),
            lease('not-a-mac'),
            lease('02:00:00:00:AA:06', ip='10.20.0.999'),
            'garbage',
            lease('02:00:00:00:AA:07', bound='maybe'),
            lease('02:00:00:00:AA:08', ip=''),
            lease('02:00:00:00:AA:09', hostname=42),
        ])
        errors = [r['error'] for r in result['results']]
        self.assertFalse(errors[0])
        self.assertIn("invalid MAC address", errors[1])
        self.assertIn("invalid IPv4 address", errors[2])
        self.assertIn("not an object", errors[3])
        self.assertIn("'bound' must be true or false", errors[4])
        self.assertIn("a bound lease needs an IP address", errors[5])
        self.assertIn("'hostname' must be a string", errors[6])
        self.assertEqual(len(result['profile_ids']), 1)
        self.assertEqual(self.env['isp.mac.profile'].search_count([('mac_address', 'like', '02:00:00:00:AA:0')]), 1)

    def test_not_a_list_refused(self):
        with self.assertRaisesRegex(ValidationError, "expects a list"):
            self.profiles.register_leases({'mac': 'x'})

    def test_only_sidecar_may_call(self):
        with self.assertRaisesRegex(AccessError, "Only the ISP services user"):
            self.env['isp.mac.profile'].with_user(self.admin_user).register_leases([lease('02:00:00:00:AA:10')])

    def test_links_existing_subscription_by_mac(self):
        sub = self._subscription(service_mac='02:00:00:00:AA:11')
        result = self.profiles.register_leases([lease('02:00:00:00:AA:11')])
        self.assertEqual(self.env['isp.mac.profile'].browse(result['profile_ids']).subscription_id, sub)

    def test_auto_create_off_creates_no_subscription(self):
        self._set(mac_auto_create='0', mac_default_plan_id=str(self.plan.id))
        result = self.profiles.register_leases([lease('02:00:00:00:AA:12')])
        self.assertFalse(self.env['isp.mac.profile'].browse(result['profile_ids']).subscription_id)

    def test_auto_create_draft_subscription_with_default_plan_and_device_sector(self):
        self._set(mac_auto_create='1', mac_default_plan_id=str(self.plan_fast.id))
        result = self.profiles.register_leases([lease('02:00:00:00:AA:13', router='MikroTik-B')])
        sub = self.env['isp.mac.profile'].browse(result['profile_ids']).subscription_id
        self.assertEqual((sub.state, sub.plan_id, sub.sector_id, sub.device_id, sub.service_mac),
                         ('draft', self.plan_fast, self.sector_b, self.device_b, '02:00:00:00:AA:13'))
        again = self.profiles.register_leases([lease('02:00:00:00:AA:13', router='MikroTik-B')])
        self.assertEqual(self.env['isp.mac.profile'].browse(again['profile_ids']).subscription_id, sub)
        self.assertEqual(self.env['isp.subscription'].search_count([('service_mac', '=', '02:00:00:00:AA:13')]), 1)

    def test_auto_create_needs_plan_and_known_router(self):
        self._set(mac_auto_create='1', mac_default_plan_id='')
        result = self.profiles.register_leases([lease('02:00:00:00:AA:14')])
        self.assertFalse(self.env['isp.mac.profile'].browse(result['profile_ids']).subscription_id)
        self._set(mac_default_plan_id=str(self.plan.id))
        result = self.profiles.register_leases([lease('02:00:00:00:AA:15', router='unknown-router')])
        profile = self.env['isp.mac.profile'].browse(result['profile_ids'])
        self.assertFalse(profile.device_id)
        self.assertFalse(profile.subscription_id)

    def test_auto_create_captive_user_with_default_profile(self):
        self._set(mac_auto_create_captive_user='1', mac_captive_default_profile='hotspot-basic',
                  mac_auto_provision_captive='0')
        self.profiles.register_leases([lease('02:00:00:00:AA:16')])
        user = self.env['isp.captive.user'].search([('mac_address', '=', '02:00:00:00:AA:16')])
        self.assertEqual((user.name, user.profile, user.device_id, user.state),
                         ('02:00:00:00:AA:16', 'hotspot-basic', self.device, 'pending'))
        self.assertTrue(user.sudo().password)
        self.assertFalse(user.job_ids)
        self.profiles.register_leases([lease('02:00:00:00:AA:16')])
        self.assertEqual(self.env['isp.captive.user'].search_count([('mac_address', '=', '02:00:00:00:AA:16')]), 1)

    def test_auto_provision_captive_queues_job(self):
        self._set(mac_auto_create_captive_user='1', mac_auto_provision_captive='1')
        self.profiles.register_leases([lease('02:00:00:00:AA:17')])
        user = self.env['isp.captive.user'].search([('mac_address', '=', '02:00:00:00:AA:17')])
        self.assertEqual(user.job_ids.mapped('job_type'), ['captive_user_create'])
        self.assertEqual(user.job_ids.device_id, self.device)

    def test_thousand_leases_in_bounded_queries(self):
        existing = [lease('02:00:00:01:%02X:%02X' % divmod(i, 256), ip='10.21.%d.%d' % divmod(i, 250))
                    for i in range(500)]
        self.profiles.register_leases(existing)
        batch = [dict(entry, bound=False) for entry in existing] + [
            lease('02:00:00:02:%02X:%02X' % divmod(i, 256), ip='10.22.%d.%d' % divmod(i, 250)) for i in range(500)]
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        result = self.profiles.register_leases(batch)
        queries = self.cr.sql_log_count - before
        self.assertEqual(len(result['profile_ids']), 1000)
        self.assertLess(queries, 60, "1,000 leases must not cost one round trip each")
        self.assertEqual(self.env['isp.mac.profile'].search_count(
            [('mac_address', '=like', '02:00:00:01:%'), ('bound', '=', False)]), 500)

    def test_terminated_link_replaced_by_new_auto_subscription(self):
        self._set(mac_auto_create='1', mac_default_plan_id=str(self.plan.id))
        first = self.profiles.register_leases([lease('02:00:00:00:AA:18')])
        profile = self.env['isp.mac.profile'].browse(first['profile_ids'])
        old = profile.subscription_id
        old.action_terminate()
        self.profiles.register_leases([lease('02:00:00:00:AA:18')])
        profile.invalidate_recordset()
        self.assertNotEqual(profile.subscription_id, old)
        self.assertEqual(profile.subscription_id.state, 'draft')

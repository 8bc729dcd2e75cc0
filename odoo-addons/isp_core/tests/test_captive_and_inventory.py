import json

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import IspCoreCase


@tagged('post_install', '-at_install')
class TestCaptiveAndInventory(IspCoreCase):

    def _captive(self, **values):
        vals = {'name': 'guest-1', 'mac_address': '02aa.0000.0001', 'device_id': self.device.id}
        vals.update(values)
        return self.env['isp.captive.user'].with_user(self.noc_user).create(vals)

    def test_captive_provision_and_disable_queue_jobs(self):
        user = self._captive()
        self.assertEqual(user.mac_address, '02:AA:00:00:00:01')
        user.action_provision()
        user.action_disable()
        self.assertEqual(sorted(user.job_ids.mapped('job_type')), ['captive_user_create', 'captive_user_disable'])
        payload = json.loads(user.job_ids.filtered(lambda j: j.job_type == 'captive_user_disable').payload_json)
        self.assertEqual((payload['captive_user'], payload['desired']['disabled']), ('guest-1', True))
        self.assertEqual(user.state, 'disabled')
        with self.assertRaisesRegex(UserError, "already disabled"):
            user.action_disable()

    def test_captive_password_hidden_from_staff(self):
        generated = self._captive()
        self.assertGreaterEqual(len(generated.sudo().password), 12)
        given = self.env['isp.captive.user'].with_user(self.admin_user).create(
            {'name': 'guest-2', 'password': 'pw', 'device_id': self.device.id})
        self.assertNotIn('password', given.with_user(self.noc_user).fields_get())
        self.assertEqual(self.api.sidecar_captive_users(given.ids)[0]['password'], 'pw')

    def test_captive_login_unique_per_router(self):
        self._captive()
        self.assertIntegrityError('isp.captive.user', lambda: self._captive(mac_address=False),
                                  "This captive login already exists on the router.")

    def test_olt_uplink_in_same_sector_and_pon_ports(self):
        with self.assertRaisesRegex(ValidationError, "its uplink router Router B belongs to another sector"):
            self.env['isp.olt'].create({'name': 'OLT', 'sector_id': self.sector.id, 'device_id': self.device_b.id})
        olt = self.env['isp.olt'].create({'name': 'OLT', 'sector_id': self.sector.id, 'device_id': self.device.id,
                                          'pon_ports': 2})
        with self.assertRaisesRegex(ValidationError, "PON port 3 does not exist on OLT OLT"):
            self.env['isp.onu'].create({'serial': 'ZTEG0900', 'olt_id': olt.id, 'pon_port': 3})
        with self.assertRaisesRegex(ValidationError, "needs at least one PON port"):
            olt.pon_ports = 0

    def test_device_validation(self):
        with self.assertRaisesRegex(ValidationError, "not a valid IPv4 management address"):
            self.env['isp.device'].create({'name': 'R', 'sector_id': self.sector.id, 'mgmt_ip': '10.0.0'})
        with self.assertRaisesRegex(ValidationError, "API port must be between 1 and 65535"):
            self.env['isp.device'].create({'name': 'R', 'sector_id': self.sector.id, 'api_port': 70000})
        self.assertIntegrityError(
            'isp.device', lambda: self.env['isp.device'].create({'name': 'R', 'sector_id': self.sector.id,
                                                                 'serial': 'SER-A'}),
            "A router with this serial already exists.")

    def test_sector_display_name_and_search(self):
        self.assertEqual(self.sector.display_name, "[SEC-T01-test] Los Cacaos")
        self.assertEqual(self.env['isp.sector'].name_search('SEC-T02'),
                         [(self.sector_b.id, self.sector_b.display_name)])
        self.assertEqual(self.sector.subscription_count, 0)
        self._subscription()
        self.sector.invalidate_recordset()
        self.assertEqual(self.sector.subscription_count, 1)

    def test_mac_profile_direct_writes_normalized(self):
        profile = self.env['isp.mac.profile'].create({'mac_address': '02-aa-00-00-00-09'})
        self.assertEqual(profile.mac_address, '02:AA:00:00:00:09')
        self.assertIntegrityError(
            'isp.mac.profile', lambda: self.env['isp.mac.profile'].create({'mac_address': '02aa.0000.0009'}),
            "A MAC profile with this address already exists.")
        with self.assertRaisesRegex(ValidationError, "is not a valid IPv4 address"):
            profile.ip_address = 'x'

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import IspCoreCase


@tagged('post_install', '-at_install')
class TestSubscriptionConstraints(IspCoreCase):

    def test_sector_code_unique(self):
        self.assertIntegrityError(
            'isp.sector', lambda: self.env['isp.sector'].create({'name': "Dup", 'code': 'SEC-T01-test'}),
            "A sector with this code already exists.")

    def test_name_from_sequence(self):
        sub = self._subscription()
        self.assertTrue(sub.name.startswith('SUB/'), sub.name)

    def test_service_mac_normalized(self):
        sub = self._subscription(service_mac='aa-bb-cc-00-11-22')
        self.assertEqual(sub.service_mac, 'AA:BB:CC:00:11:22')
        sub.service_mac = 'aabb.cc00.1133'
        self.assertEqual(sub.service_mac, 'AA:BB:CC:00:11:33')

    def test_service_mac_invalid_refused(self):
        with self.assertRaisesRegex(ValidationError, "not-a-mac is not a valid MAC address"):
            self._subscription(service_mac='not-a-mac')

    def test_service_mac_unique_among_live(self):
        self._subscription(service_mac='02:aa:00:00:00:01')
        self.assertIntegrityError(
            'isp.subscription', lambda: self._subscription(service_mac='02-AA-00-00-00-01'),
            "Another live subscription already uses this MAC address.")

    def test_service_mac_reusable_after_termination(self):
        old = self._subscription(service_mac='02:aa:00:00:00:02')
        old.action_terminate()
        new = self._subscription(service_mac='02:aa:00:00:00:02')
        self.assertEqual(new.service_mac, '02:AA:00:00:00:02')

    def test_pppoe_username_unique(self):
        self._subscription(auth_method='pppoe', pppoe_username='ana')
        self.assertIntegrityError(
            'isp.subscription', lambda: self._subscription(auth_method='pppoe', pppoe_username='ana'),
            "This PPPoE username is already used.")

    def test_pppoe_password_generated_when_empty(self):
        sub = self._subscription(auth_method='pppoe', pppoe_username='luis')
        self.assertGreaterEqual(len(sub.pppoe_password), 12)
        kept = self._subscription(auth_method='pppoe', pppoe_username='maria', pppoe_password='s3cret-given')
        self.assertEqual(kept.pppoe_password, 's3cret-given')

    def test_pppoe_requires_username(self):
        with self.assertRaisesRegex(ValidationError, "a PPPoE subscription needs a username"):
            self._subscription(auth_method='pppoe')

    def test_one_live_subscription_per_onu(self):
        onu = self.env['isp.onu'].create({'serial': 'ZTEG0001', 'mac_address': '02:00:00:00:ff:01'})
        first = self._subscription(onu_id=onu.id)
        self.assertIntegrityError(
            'isp.subscription', lambda: self._subscription(onu_id=onu.id),
            "This ONU already serves another subscription that is not terminated.")
        first.action_terminate()
        self.assertEqual(self._subscription(onu_id=onu.id).onu_id, onu)

    def test_static_ip_unique_per_router(self):
        self._subscription(dhcp_mode='static', service_ip='192.168.88.10')
        self.assertIntegrityError(
            'isp.subscription', lambda: self._subscription(dhcp_mode='static', service_ip='192.168.88.10'),
            "This IP address is already used by another subscription on the same router.")

    def test_static_ip_may_repeat_on_another_router(self):
        self._subscription(dhcp_mode='static', service_ip='192.168.88.11')
        other = self._subscription(dhcp_mode='static', service_ip='192.168.88.11',
                                   sector_id=self.sector_b.id, device_id=self.device_b.id)
        self.assertEqual(other.service_ip, '192.168.88.11')

    def test_invalid_ip_refused(self):
        with self.assertRaisesRegex(ValidationError, "300.1.1.1 is not a valid IPv4 address"):
            self._subscription(dhcp_mode='static', service_ip='300.1.1.1')

    def test_device_must_be_in_sector(self):
        with self.assertRaisesRegex(ValidationError, "router Router B is not in sector"):
            self._subscription(device_id=self.device_b.id)

    def test_gps_range(self):
        with self.assertRaisesRegex(ValidationError, "latitude 91.0 is outside -90..90"):
            self._subscription(gps_lat=91.0)
        with self.assertRaisesRegex(ValidationError, "longitude -181.0 is outside -180..180"):
            self._subscription(gps_lng=-181.0)

    def test_gps_required_before_active(self):
        sub = self._subscription(gps_lat=0.0, gps_lng=0.0)
        with self.assertRaisesRegex(ValidationError, "needs valid GPS coordinates \\(not 0/0\\)"):
            sub.action_activate()
        self.assertEqual(sub.state, 'draft')

    def test_gps_cannot_be_cleared_on_active(self):
        sub = self._active_subscription()
        with self.assertRaisesRegex(ValidationError, "needs valid GPS coordinates"):
            sub.write({'gps_lat': 0.0, 'gps_lng': 0.0})

    def test_billing_day_range(self):
        self.assertIntegrityError(
            'isp.subscription', lambda: self._subscription(billing_day=31),
            "The billing day must be between 1 and 28.")

    def test_plan_creates_service_product(self):
        self.assertEqual(self.plan.product_id.type, 'service')
        self.assertEqual(self.plan.product_id.list_price, 25.0)
        self.plan.price = 30.0
        self.assertEqual(self.plan.product_id.list_price, 30.0)

    def test_plan_speeds_positive(self):
        with self.assertRaisesRegex(ValidationError, "speeds must be greater than zero"):
            self.env['isp.service_plan'].create({'name': "Broken", 'down_mbps': 0, 'up_mbps': 5})

    def test_onu_mac_normalized_and_unique(self):
        onu = self.env['isp.onu'].create({'serial': 'ZTEG0002', 'mac_address': '0200.0000.ff02'})
        self.assertEqual(onu.mac_address, '02:00:00:00:FF:02')
        self.assertIntegrityError(
            'isp.onu', lambda: self.env['isp.onu'].create({'serial': 'ZTEG0003', 'mac_address': '02:00:00:00:ff:02'}),
            "An ONU with this MAC already exists.")
        with self.assertRaisesRegex(ValidationError, "is not a valid MAC address"):
            self.env['isp.onu'].create({'serial': 'ZTEG0004', 'mac_address': 'zz'})

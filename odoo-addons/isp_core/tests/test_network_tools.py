from odoo.tests import TransactionCase, tagged

from odoo.addons.isp_core.tools.network import is_valid_ipv4, normalize_mac


@tagged('post_install', '-at_install')
class TestNetworkTools(TransactionCase):

    def test_normalize_mac_accepts_common_notations(self):
        for raw in ('aa:bb:cc:dd:ee:ff', 'AA-BB-CC-DD-EE-FF', 'aabb.ccdd.eeff', 'AABBCCDDEEFF', ' aa:bb:cc:dd:ee:ff '):
            self.assertEqual(normalize_mac(raw), 'AA:BB:CC:DD:EE:FF', raw)

    def test_normalize_mac_refuses_invalid(self):
        for raw in ('', 'aa:bb:cc:dd:ee', 'gg:bb:cc:dd:ee:ff', 'aa:bb-cc:dd:ee:ff', 'aabbccddeeff00', None, 42):
            self.assertIsNone(normalize_mac(raw), raw)

    def test_is_valid_ipv4(self):
        self.assertTrue(is_valid_ipv4('10.20.0.15'))
        self.assertFalse(is_valid_ipv4('10.20.0.256'))
        self.assertFalse(is_valid_ipv4('fe80::1'))
        self.assertFalse(is_valid_ipv4(None))

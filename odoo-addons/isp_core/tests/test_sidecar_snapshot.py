from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import IspCoreCase


@tagged('post_install', '-at_install')
class TestSidecarSnapshot(IspCoreCase):
    """What the provisioner reads before it touches a router."""

    def _snapshot(self, **kwargs):
        return self.api.sidecar_subscription_snapshot(**kwargs)

    def test_snapshot_static_dhcp_uses_the_pinned_address(self):
        sub = self._active_subscription(dhcp_mode='static', service_ip='10.20.0.15')
        [row] = self._snapshot(subscription_ids=sub.ids)
        self.assertEqual(row['name'], sub.name)
        self.assertEqual(row['state'], 'active')
        self.assertEqual(row['device_id'], self.device.id)
        self.assertEqual(row['client_address'], '10.20.0.15')
        self.assertEqual((row['up_mbps'], row['down_mbps']), (5, 20))

    def test_snapshot_dynamic_dhcp_follows_the_bound_lease(self):
        sub = self._active_subscription()
        [row] = self._snapshot(subscription_ids=sub.ids)
        self.assertIs(row['client_address'], False, "no lease seen yet: no address")
        self.env['isp.mac.profile'].with_user(self.sidecar_user).register_leases([{
            'mac': sub.service_mac.lower(), 'ip': '10.20.0.77', 'bound': True, 'server': 'dhcp-lan',
            'hostname': 'ONU-9', 'router': 'MikroTik-A'}])
        [row] = self._snapshot(subscription_ids=sub.ids)
        self.assertEqual(row['client_address'], '10.20.0.77')

    def test_snapshot_gives_the_pppoe_secret_to_the_sidecar_only(self):
        sub = self._active_subscription(auth_method='pppoe', pppoe_username='cust42', service_mac=False)
        [row] = self._snapshot(subscription_ids=sub.ids)
        self.assertEqual(row['pppoe_username'], 'cust42')
        self.assertTrue(row['pppoe_password'], "a password is generated for PPPoE subscriptions")
        self.assertEqual(row['pppoe_password'], sub.sudo().pppoe_password)
        with self.assertRaises(AccessError):
            self.env['isp.sidecar.api'].with_user(self.noc_user).sidecar_subscription_snapshot(
                subscription_ids=sub.ids)

    def test_snapshot_of_a_router_lists_its_live_subscriptions(self):
        active = self._active_subscription()
        suspended = self._active_subscription()
        suspended.action_suspend()
        terminated = self._active_subscription()
        terminated.action_terminate()
        self._subscription()  # a draft owns nothing on the router
        self._active_subscription(sector_id=self.sector_b.id, device_id=self.device_b.id)
        rows = self._snapshot(device_id=self.device.id)
        self.assertEqual({r['id'] for r in rows}, {active.id, suspended.id})

    def test_snapshot_reports_terminated_subscriptions_asked_by_id(self):
        sub = self._active_subscription()
        sub.action_terminate()
        [row] = self._snapshot(subscription_ids=sub.ids)
        self.assertEqual(row['state'], 'terminated')

    def test_snapshot_needs_a_query(self):
        with self.assertRaises(UserError):
            self._snapshot()

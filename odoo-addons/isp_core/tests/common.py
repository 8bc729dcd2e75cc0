from psycopg2 import IntegrityError

from odoo.tests import TransactionCase, new_test_user
from odoo.tools import mute_logger


class IspCoreCase(TransactionCase):
    """Two sectors with a router each, plans, a customer and one user per ISP group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        params = cls.env['ir.config_parameter'].sudo()
        # No test may reach a real gateway: the notification path is tested with its own listener.
        params.set_param('isp_core.sidecar_url', '')
        cls.sector = cls.env['isp.sector'].create({'name': "Los Cacaos", 'code': 'SEC-T01-test'})
        cls.sector_b = cls.env['isp.sector'].create({'name': "El Higüero", 'code': 'SEC-T02-test'})
        cls.plan = cls.env['isp.service_plan'].create(
            {'name': "DHCP 20/5", 'down_mbps': 20, 'up_mbps': 5, 'price': 25.0})
        cls.plan_fast = cls.env['isp.service_plan'].create(
            {'name': "Fibra 100/20", 'down_mbps': 100, 'up_mbps': 20, 'price': 70.0})
        cls.device = cls.env['isp.device'].create({
            'name': "Router A", 'sector_id': cls.sector.id, 'mgmt_ip': '10.0.0.1',
            'identity': 'MikroTik-A', 'serial': 'SER-A'})
        cls.device_b = cls.env['isp.device'].create({
            'name': "Router B", 'sector_id': cls.sector_b.id, 'mgmt_ip': '10.0.1.1',
            'identity': 'MikroTik-B', 'serial': 'SER-B'})
        cls.partner = cls.env['res.partner'].create({'name': "Ana Rosario"})
        cls.admin_user = new_test_user(cls.env, 'isp_admin', groups='isp_core.group_isp_admin')
        cls.noc_user = new_test_user(cls.env, 'isp_noc', groups='isp_core.group_isp_noc')
        cls.support_user = new_test_user(cls.env, 'isp_support', groups='isp_core.group_isp_support')
        cls.billing_user = new_test_user(cls.env, 'isp_billing', groups='isp_core.group_isp_billing')
        cls.field_user = new_test_user(cls.env, 'isp_field', groups='isp_core.group_isp_field')
        cls.sidecar_user = new_test_user(cls.env, 'isp_sidecar', groups='isp_core.group_isp_sidecar')
        cls.plain_user = new_test_user(cls.env, 'plain_user', groups='base.group_user')
        cls._mac_counter = 0

    @property
    def api(self):
        """The services' face, as the sidecar user calls it."""
        return self.env['isp.sidecar.api'].with_user(self.sidecar_user)

    @classmethod
    def _next_mac(cls):
        cls._mac_counter += 1
        return '02:00:00:00:%02X:%02X' % divmod(cls._mac_counter, 256)

    def _subscription(self, **values):
        vals = {
            'partner_id': self.partner.id,
            'plan_id': self.plan.id,
            'sector_id': self.sector.id,
            'device_id': self.device.id,
            'service_mac': self._next_mac(),
            'gps_lat': 18.4861,
            'gps_lng': -69.9312,
        }
        vals.update(values)
        return self.env['isp.subscription'].create(vals)

    def _active_subscription(self, **values):
        sub = self._subscription(**values)
        sub.action_activate()
        return sub

    def assertIntegrityError(self, model, create_or_write, message):
        """Run ``create_or_write`` and check the database refused it with ``message``."""
        with mute_logger('odoo.sql_db'), self.assertRaises(IntegrityError) as caught, self.cr.savepoint():
            create_or_write()
            self.env.flush_all()
        self.assertEqual(self.env[model]._sql_error_to_message(caught.exception), message)

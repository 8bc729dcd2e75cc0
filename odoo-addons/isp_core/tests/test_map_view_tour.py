from odoo.tests import HttpCase, new_test_user, tagged

from .common import IspCoreCase


@tagged('post_install', '-at_install')
class TestMapViewTour(HttpCase, IspCoreCase):
    """The map view in a real browser, tiles unreachable as on a machine offline (skipped by Odoo
    without Chrome/Chromium)."""

    def test_map_view_tour(self):
        # Only the tour's subscription: the NOC user below sees its sector alone.
        sector = self.env['isp.sector'].create({'name': "Tour map sector", 'code': 'SEC-T78-map'})
        device = self.env['isp.device'].create({'name': "Tour map router", 'sector_id': sector.id,
                                                'mgmt_ip': '10.78.0.1'})
        partner = self.env['res.partner'].create({'name': "Tour map customer"})
        self._active_subscription(partner_id=partner.id, sector_id=sector.id, device_id=device.id)
        user = new_test_user(self.env, 'isp_map_tour_noc', groups='isp_core.group_isp_noc')
        user.isp_sector_ids = sector
        self.start_tour('/odoo/isp-subscriptions', 'isp_map_view_tour', login='isp_map_tour_noc')

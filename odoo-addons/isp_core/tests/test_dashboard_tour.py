from odoo.tests import HttpCase, new_test_user, tagged

from .common import IspCoreCase


@tagged('post_install', '-at_install')
class TestDashboardTour(HttpCase, IspCoreCase):
    """The client action in a real browser (skipped by Odoo when no Chrome/Chromium is installed)."""

    def test_dashboard_tour(self):
        sector = self.env['isp.sector'].create({'name': "TOUR sector", 'code': 'SEC-T77-tour'})
        device = self.env['isp.device'].create({'name': "Tour router", 'sector_id': sector.id, 'mgmt_ip': '10.77.0.1'})
        values = {'sector_id': sector.id, 'device_id': device.id}
        first = self._active_subscription(**values)
        self._active_subscription(**values)
        self._subscription(**values)
        self.api.sidecar_mark_failed(first.job_ids.ids, "trap", final=True)
        # A NOC user restricted to the tour's sector sees only the figures the tour expects.
        user = new_test_user(self.env, 'isp_tour_noc', groups='isp_core.group_isp_noc')
        user.isp_sector_ids = sector
        self.start_tour('/odoo/isp-dashboard', 'isp_dashboard_tour', login='isp_tour_noc')

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.isp_core.models.ir_http import DEFAULT_MAP_TILE_URL
from odoo.addons.isp_core.tools.convex_hull import convex_hull

from .common import IspCoreCase


@tagged('post_install', '-at_install')
class TestMapView(IspCoreCase):
    """The isp_map view type: its arch validation, the compact loader and the statuses it colours."""

    def _map_view(self, arch, model='isp.subscription'):
        return self.env['ir.ui.view'].create({'name': 'test map', 'model': model, 'type': 'isp_map', 'arch': arch})

    def _read(self, model='isp.subscription', domain=(), status='map_status', user=None):
        records = self.env[model].with_user(user) if user else self.env[model]
        return records.isp_map_read(list(domain), 'gps_lat', 'gps_lng', status)

    def _points(self, **kwargs):
        """The loader's answer as {id: (lat, lng, status)}."""
        return {id_: (lat, lng, status)
                for status, ids, lats, lngs in self._read(**kwargs)['groups']
                for id_, lat, lng in zip(ids, lats, lngs)}

    def test_map_arch_valid(self):
        view = self._map_view('<isp_map lat="gps_lat" lng="gps_lng" status="map_status" '
                              'colors="active:success;suspended:danger"><field name="partner_id"/></isp_map>')
        self.assertEqual(view.type, 'isp_map')
        arch = self.env['isp.subscription'].get_views([(view.id, 'isp_map')])['views']['isp_map']['arch']
        self.assertIn('lat="gps_lat"', arch)

    def test_map_arch_refused(self):
        bad_archs = {
            'unknown attribute': '<isp_map lat="gps_lat" lng="gps_lng" zoom="3"/>',
            'no position': '<isp_map lat="gps_lat"/>',
            'position not a number': '<isp_map lat="name" lng="gps_lng"/>',
            'unknown field': '<isp_map lat="gps_lat" lng="no_such_field"/>',
            'status not a selection': '<isp_map lat="gps_lat" lng="gps_lng" status="partner_id"/>',
            'colors without status': '<isp_map lat="gps_lat" lng="gps_lng" colors="active:success"/>',
            'malformed colors': '<isp_map lat="gps_lat" lng="gps_lng" status="map_status" colors="active"/>',
            'unknown value': '<isp_map lat="gps_lat" lng="gps_lng" status="map_status" colors="gone:success"/>',
            'unknown color': '<isp_map lat="gps_lat" lng="gps_lng" status="map_status" colors="active:pink"/>',
            'other child': '<isp_map lat="gps_lat" lng="gps_lng"><div/></isp_map>',
        }
        for case, arch in bad_archs.items():
            with self.subTest(case), self.assertRaises(ValidationError):
                self._map_view(arch)

    def test_map_actions_offer_the_map(self):
        for xmlid in ('isp_subscription_action', 'isp_sector_action', 'isp_device_action', 'isp_onu_action'):
            action = self.env.ref(f'isp_core.{xmlid}')
            self.assertIn('isp_map', action.view_mode.split(','), xmlid)
        self.assertEqual(self.env['ir.ui.view'].get_view_info()['isp_map']['icon'], 'fa fa-map-marker')

    def test_map_read_points_and_statuses(self):
        draft = self._subscription(gps_lat=18.1234567, gps_lng=-69.7654321)
        active = self._active_subscription()
        suspended = self._active_subscription()
        suspended.action_suspend("test")
        unplaced = self._subscription(gps_lat=0.0, gps_lng=0.0)
        points = self._points(domain=[('partner_id', '=', self.partner.id)])
        self.assertEqual(points[draft.id], (18.1234567, -69.7654321, 'to_install'))
        self.assertEqual(points[active.id][2], 'active')
        self.assertEqual(points[suspended.id][2], 'suspended')
        self.assertNotIn(unplaced.id, points, "a record without a position is not on the map")
        self.assertEqual((draft | active | suspended).mapped('map_status'), ['to_install', 'active', 'suspended'])

    def test_map_status_searchable(self):
        draft = self._subscription()
        active = self._active_subscription()
        Sub = self.env['isp.subscription']
        self.assertEqual(Sub.search([('map_status', '=', 'to_install'), ('id', 'in', (draft | active).ids)]), draft)
        self.assertEqual(Sub.search([('map_status', '!=', 'to_install'), ('id', 'in', (draft | active).ids)]),
                         active)

    def test_map_read_follows_the_domain(self):
        here = self._subscription()
        there = self._subscription(sector_id=self.sector_b.id, device_id=self.device_b.id)
        ids = set(self._points(domain=[('sector_id', '=', self.sector_b.id)]))
        self.assertIn(there.id, ids)
        self.assertNotIn(here.id, ids)

    def test_map_read_respects_record_rules(self):
        mine = self._subscription()
        other = self._subscription(sector_id=self.sector_b.id, device_id=self.device_b.id)
        self.noc_user.isp_sector_ids = self.sector
        ids = set(self._points(user=self.noc_user))
        self.assertIn(mine.id, ids)
        self.assertNotIn(other.id, ids, "a sector-restricted user sees only their sectors' subscriptions")
        with self.assertRaises(AccessError):
            self._read(user=self.sidecar_user)

    def test_map_read_checks_its_fields(self):
        for lat, lng, status in (('name', 'gps_lng', 'map_status'), ('gps_lat', 'nope', False),
                                 ('gps_lat', 'gps_lng', 'partner_id'), (['gps_lat'], 'gps_lng', False)):
            with self.subTest(lat=lat, lng=lng, status=status), self.assertRaises(UserError):
                self.env['isp.subscription'].isp_map_read([], lat, lng, status)

    def test_map_sector_area_is_the_hull_of_its_subscriptions(self):
        self.sector.write({'gps_lat': 18.5, 'gps_lng': -69.9})
        corners = [(18.50, -69.90), (18.52, -69.90), (18.52, -69.88), (18.50, -69.88)]
        for lat, lng in corners + [(18.51, -69.89)]:
            self._subscription(gps_lat=lat, gps_lng=lng)
        self._subscription(gps_lat=18.9, gps_lng=-69.0).action_terminate()
        result = self._read(model='isp.sector', domain=[('id', '=', self.sector.id)], status=False)
        self.assertEqual(result['groups'], [[False, [self.sector.id], [18.5], [-69.9]]])
        area = result['areas'][self.sector.id]
        self.assertCountEqual([tuple(corner) for corner in area], corners,
                              "the inner and the terminated subscriptions are not corners")

    def test_map_device_status(self):
        self.device.write({'gps_lat': 18.4, 'gps_lng': -69.8})
        points = self._points(model='isp.device', domain=[('id', '=', self.device.id)], status='status')
        self.assertEqual(points, {self.device.id: (18.4, -69.8, 'new')})

    def test_convex_hull(self):
        self.assertEqual(convex_hull([]), [])
        self.assertEqual(convex_hull([(1, 1), (1, 1), (0, 0)]), [(0, 0), (1, 1)])
        square = [(0, 0), (0, 2), (2, 2), (2, 0)]
        self.assertCountEqual(convex_hull(square + [(1, 1), (0, 1)]), square)

    def test_map_tile_settings(self):
        tiles = self.env['ir.http']._isp_map_tiles()
        self.assertEqual(tiles['url'], DEFAULT_MAP_TILE_URL)
        self.assertIn('OpenStreetMap', tiles['attribution'])
        settings = Form(self.env['res.config.settings'])
        settings.isp_map_tile_url = 'https://tiles.example.com/{z}/{x}/{y}.png'
        settings.isp_map_tile_attribution = 'Tiles <a href="https://example.com">Example</a><script>alert(1)</script>'
        settings.save().execute()
        tiles = self.env['ir.http']._isp_map_tiles()
        self.assertEqual(tiles['url'], 'https://tiles.example.com/{z}/{x}/{y}.png')
        self.assertEqual(tiles['attribution'], 'Tiles <a href="https://example.com">Example</a>')
        for url in ('ftp://tiles.example.com/{z}/{x}/{y}.png', 'https://tiles.example.com/{z}.png'):
            with self.subTest(url=url), self.assertRaises(ValidationError):
                settings = Form(self.env['res.config.settings'])
                settings.isp_map_tile_url = url
                settings.save()

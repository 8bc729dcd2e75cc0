from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import SQL

from odoo.addons.isp_core.tests.common import IspCoreCase
from odoo.addons.isp_core.tools.geo import gps_problem, has_position, haversine_km, haversine_sql


@tagged('post_install', '-at_install')
class TestGeoTools(TransactionCase):

    def test_haversine_known_distances(self):
        self.assertEqual(haversine_km(18.4861, -69.9312, 18.4861, -69.9312), 0.0)
        # One degree of longitude on the equator, and half the globe.
        self.assertAlmostEqual(haversine_km(0, 0, 0, 1), 111.195, places=2)
        self.assertAlmostEqual(haversine_km(90, 0, -90, 0), 20015.09, delta=0.1)
        # Santo Domingo → Santiago de los Caballeros, about 134 km as the crow flies.
        self.assertAlmostEqual(haversine_km(18.4861, -69.9312, 19.4517, -70.6970), 134.2, delta=0.1)

    def test_haversine_is_symmetric_and_wraps_the_antimeridian(self):
        self.assertAlmostEqual(haversine_km(10, 20, -5, 40), haversine_km(-5, 40, 10, 20), places=9)
        self.assertAlmostEqual(haversine_km(0, 179.5, 0, -179.5), 111.195, places=2)

    def test_haversine_sql_matches_python(self):
        for points in ((18.4861, -69.9312, 19.4517, -70.6970), (0, 179.5, 0, -179.5), (90, 0, -90, 0),
                       (18.5, -69.9, 18.5, -69.9)):
            [(sql_km,)] = self.env.execute_query(SQL("SELECT %s", haversine_sql(*points)))
            self.assertAlmostEqual(sql_km, haversine_km(*points), places=6, msg=points)

    def test_gps_problem(self):
        self.assertIsNone(gps_problem(18.5, -69.9))
        self.assertIsNone(gps_problem(90, -180))
        self.assertIsNone(gps_problem(0.0, 0.0))
        self.assertEqual(gps_problem(0.0, 0.0, required=True), 'missing')
        self.assertIsNone(gps_problem(0.0, -69.9, required=True))
        self.assertEqual(gps_problem(90.0001, 0), 'lat')
        self.assertEqual(gps_problem(-91, 0, required=True), 'lat')
        self.assertEqual(gps_problem(0, 180.5), 'lng')
        self.assertFalse(has_position(0.0, 0.0))
        self.assertTrue(has_position(0.0, 1e-7))


@tagged('post_install', '-at_install')
class TestGeoRecords(IspCoreCase):

    def test_geo_sector_refuses_out_of_range(self):
        with self.assertRaisesRegex(ValidationError, "latitude 95.0 is outside"):
            self.sector.gps_lat = 95.0
        with self.assertRaisesRegex(ValidationError, "longitude -200.0 is outside"):
            self.env['isp.sector'].create({'name': "Far", 'code': 'SEC-FAR', 'gps_lng': -200.0})
        # No position is allowed: a sector may be drawn on the map later.
        self.sector.write({'gps_lat': 0.0, 'gps_lng': 0.0})

    def test_geo_router_refuses_out_of_range(self):
        with self.assertRaisesRegex(ValidationError, "Router Router A: latitude -90.5 is outside"):
            self.device.gps_lat = -90.5
        with self.assertRaisesRegex(ValidationError, "longitude 181.0 is outside"):
            self.device.write({'gps_lat': 18.5, 'gps_lng': 181.0})

    def test_geo_router_defaults_to_its_sector(self):
        self.sector.write({'gps_lat': 18.4861, 'gps_lng': -69.9312})
        self.sector_b.write({'gps_lat': 19.45, 'gps_lng': -70.69})
        router = self.env['isp.device'].create({'name': "R", 'sector_id': self.sector.id})
        self.assertEqual((router.gps_lat, router.gps_lng), (18.4861, -69.9312))
        placed = self.env['isp.device'].create(
            {'name': "Placed", 'sector_id': self.sector.id, 'gps_lat': 18.5, 'gps_lng': -69.8})
        self.assertEqual((placed.gps_lat, placed.gps_lng), (18.5, -69.8))
        # Moving to another sector keeps a router's own place and fills an empty one.
        placed.sector_id = self.sector_b
        self.assertEqual((placed.gps_lat, placed.gps_lng), (18.5, -69.8))
        router.write({'gps_lat': 0.0, 'gps_lng': 0.0})
        router.sector_id = self.sector_b
        self.assertEqual((router.gps_lat, router.gps_lng), (19.45, -70.69))

    def test_geo_router_without_sector_position_stays_unplaced(self):
        router = self.env['isp.device'].create({'name': "R", 'sector_id': self.sector.id})
        self.assertFalse(has_position(router.gps_lat, router.gps_lng))

    def test_geo_onu_follows_its_subscription(self):
        onu = self.env['isp.onu'].create({'serial': 'ONU-GEO-1'})
        self.assertFalse(onu.subscription_id)
        sub = self._subscription(onu_id=onu.id, gps_lat=18.49, gps_lng=-69.93)
        self.assertEqual(onu.subscription_id, sub)
        self.assertEqual((onu.gps_lat, onu.gps_lng), (18.49, -69.93))
        sub.write({'gps_lat': 18.5, 'gps_lng': -69.95})
        self.assertEqual((onu.gps_lat, onu.gps_lng), (18.5, -69.95))
        # Stored: a search (what a map does) finds it by its place.
        self.assertIn(onu, self.env['isp.onu'].search([('gps_lat', '=', 18.5)]))
        sub.action_activate()
        sub.action_terminate()
        self.assertFalse(onu.subscription_id)
        self.assertEqual((onu.gps_lat, onu.gps_lng), (0.0, 0.0))


@tagged('post_install', '-at_install')
class TestGpsWarning(IspCoreCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Los Cacaos' position; Santiago is ~134 km away, a street away ~0.1 km.
        cls.sector.write({'gps_lat': 18.4861, 'gps_lng': -69.9312})
        cls.env['ir.config_parameter'].sudo().set_param('isp_core.max_sector_distance_km', '15')

    def _far(self):
        return self.env['isp.subscription'].search([('gps_far_from_sector', '=', True)])

    def test_gps_warning_far_subscription_is_flagged(self):
        near = self._subscription(gps_lat=18.4870, gps_lng=-69.9301)
        far = self._subscription(gps_lat=19.4517, gps_lng=-70.6970)
        self.assertFalse(near.gps_far_from_sector)
        self.assertFalse(near.gps_warning)
        self.assertAlmostEqual(near.sector_distance_km, 0.15, delta=0.01)
        self.assertTrue(far.gps_far_from_sector)
        self.assertAlmostEqual(far.sector_distance_km, 134.2, delta=0.1)
        self.assertEqual(far.gps_warning, "This position is 134.2 km from sector [SEC-T01-test] Los Cacaos, "
                                          "more than the 15 km allowed: check the coordinates.")
        far_subs = self._far()
        self.assertIn(far, far_subs)
        self.assertNotIn(near, far_subs)
        self.assertIn(near, self.env['isp.subscription'].search([('gps_far_from_sector', '=', False)]))
        self.assertNotIn(far, self.env['isp.subscription'].search([('gps_far_from_sector', '!=', True)]))

    def test_gps_warning_does_not_block(self):
        far = self._active_subscription(gps_lat=19.4517, gps_lng=-70.6970)
        self.assertEqual(far.state, 'active')
        self.assertTrue(far.gps_warning)

    def test_gps_warning_follows_the_setting(self):
        far = self._subscription(gps_lat=18.4861, gps_lng=-69.7312)  # ~21 km east
        params = self.env['ir.config_parameter'].sudo()
        params.set_param('isp_core.max_sector_distance_km', '25')
        self.assertFalse(far.gps_far_from_sector)
        self.assertNotIn(far, self._far())
        far.invalidate_recordset()
        params.set_param('isp_core.max_sector_distance_km', '10')
        self.assertTrue(far.gps_far_from_sector)
        self.assertIn(far, self._far())
        far.invalidate_recordset()
        params.set_param('isp_core.max_sector_distance_km', '0')
        self.assertFalse(far.gps_warning)
        self.assertFalse(self._far())
        far.invalidate_recordset()
        params.set_param('isp_core.max_sector_distance_km', 'far')
        self.assertEqual(self.env['isp.subscription']._max_sector_distance_km(), 15.0)
        params.search([('key', '=', 'isp_core.max_sector_distance_km')]).unlink()
        self.assertEqual(self.env['isp.subscription']._max_sector_distance_km(), 15.0)
        self.assertTrue(far.gps_far_from_sector)

    def test_gps_warning_needs_both_positions(self):
        unplaced = self._subscription(gps_lat=0.0, gps_lng=0.0)
        other_sector = self._subscription(sector_id=self.sector_b.id, device_id=self.device_b.id,
                                          gps_lat=19.4517, gps_lng=-70.6970)
        for sub in (unplaced, other_sector):
            self.assertFalse(sub.gps_far_from_sector)
            self.assertEqual(sub.sector_distance_km, 0.0)
            self.assertNotIn(sub, self._far())

    def test_gps_warning_updates_on_the_form(self):
        with Form(self.env['isp.subscription']) as form:
            form.plan_id = self.plan
            form.sector_id = self.sector
            form.gps_lat, form.gps_lng = 18.4870, -69.9301
            self.assertFalse(form.gps_warning)
            form.gps_lat, form.gps_lng = 19.4517, -70.6970
            self.assertIn("134.2 km", form.gps_warning)

    def test_gps_settings_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.env['res.config.settings'].create({'isp_max_sector_distance_km': -1})
        with self.assertRaisesRegex(ValidationError, "at least 1 ticket"):
            self.env['res.config.settings'].create({'isp_outage_ticket_threshold': 0})
        self.env['res.config.settings'].create({'isp_max_sector_distance_km': 7.5}).execute()
        self.assertEqual(self.env['isp.subscription']._max_sector_distance_km(), 7.5)

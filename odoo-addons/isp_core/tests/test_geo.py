from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from odoo.addons.isp_core.tests.common import IspCoreCase
from odoo.addons.isp_core.tools.geo import gps_problem, has_position, haversine_km


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

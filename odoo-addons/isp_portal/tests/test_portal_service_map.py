from lxml import html

from odoo.tests import tagged

from .common import IspPortalCase


@tagged('post_install', '-at_install')
class TestPortalServiceMap(IspPortalCase):
    """The customer's pin on their service page: their own coordinates, nobody else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sub_a.write({'gps_lat': 18.486123, 'gps_lng': -69.931234})
        cls.sub_b.write({'gps_lat': 19.451789, 'gps_lng': -70.697012})

    def _page(self, sub):
        self._login(self.portal_a)
        response = self.url_open(f'/my/isp/service/{sub.id}', allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        return response.text

    def _maps(self, body):
        return html.fromstring(body).xpath("//*[contains(concat(' ', @class, ' '), ' o_isp_service_map ')]")

    def test_service_map_shows_the_own_pin_only(self):
        body = self._page(self.sub_a)
        [pin] = self._maps(body)
        self.assertEqual((float(pin.get('data-lat')), float(pin.get('data-lng'))), (18.486123, -69.931234))
        self.assertIn("18.486123, -69.931234", body)
        self.assertEqual(pin.get('data-tile-url'), 'https://tile.openstreetmap.org/{z}/{x}/{y}.png')
        self.assertIn('OpenStreetMap', pin.get('data-attribution'))
        for other in ('19.451789', '19.45179', '-70.697012', '-70.69701', self.sub_b.name):
            self.assertNotIn(other, body)

    def test_service_map_of_another_customer_is_not_found(self):
        self._login(self.portal_a)
        response = self.url_open(f'/my/isp/service/{self.sub_b.id}', allow_redirects=False)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn('19.451789', response.text)
        self.assertFalse(self._maps(response.text))

    def test_service_map_without_coordinates(self):
        draft = self.env['isp.subscription'].create({
            'partner_id': self.customer.id, 'plan_id': self.plan.id, 'sector_id': self.sector.id,
            'device_id': self.device.id, 'gps_lat': 0.0, 'gps_lng': 0.0})
        body = self._page(draft)
        self.assertIn(draft.name, body)
        self.assertFalse(self._maps(body))
        self.assertNotIn("Service location", body)

    def test_service_map_follows_the_tile_setting(self):
        params = self.env['ir.config_parameter'].sudo()
        params.set_param('isp_core.map_tile_url', 'https://tiles.example.net/{z}/{x}/{y}.png')
        params.set_param('isp_core.map_tile_attribution', 'Tiles <a href="https://example.net">Example</a>'
                                                          '<script>alert(1)</script>')
        [pin] = self._maps(self._page(self.sub_a))
        self.assertEqual(pin.get('data-tile-url'), 'https://tiles.example.net/{z}/{x}/{y}.png')
        self.assertIn('href="https://example.net"', pin.get('data-attribution'))
        self.assertNotIn('<script', pin.get('data-attribution'))

    def test_service_map_loads_leaflet_on_its_page_only(self):
        self._login(self.portal_a)
        for url in ('/my', '/my/isp', f'/my/isp/service/{self.sub_a.id}'):
            body = self.url_open(url).text
            self.assertNotIn('leaflet', body.lower(), f"{url}: Leaflet is a lazy bundle, loaded by the map itself")
        for bundle in ('web.assets_frontend', 'web.assets_backend'):
            urls = [asset['url'] for asset in self.env['ir.qweb']._get_asset_content(bundle)[0]]
            self.assertFalse([url for url in urls if 'leaflet' in url], bundle)

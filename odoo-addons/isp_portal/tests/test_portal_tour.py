import base64

from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser, save_test_file

from .common import IspPortalCase

# Fonts loaded and, on /my/home, the counters in (their spinner gone): what the customer sees.
# Fonts loaded, no portal spinner, and the service map (Leaflet, loaded by its page) has its pin.
PAGE_SETTLED = """
    document.fonts.ready.then(() => new Promise((resolve) => {
        const started = Date.now();
        const busy = () => document.querySelector('.o_portal_doc_spinner')
            || (document.querySelector('.o_isp_service_map')
                && !document.querySelector('.o_isp_service_map .o_isp_service_pin'));
        (function check() {
            if (!busy() || Date.now() - started > 10000) {
                resolve(true);
            } else {
                setTimeout(check, 100);
            }
        })();
    }))
"""


@tagged('post_install', '-at_install')
class TestPortalDashboardTour(IspPortalCase):
    browser_size = '390x844'  # a phone: most customers have nothing else
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._enable_demo_provider()
        cls.sub_overdue, cls.invoices_overdue = cls._overdue_subscription(cls.customer)

    def _screenshots(self, user, pages):
        """Whole-page screenshots of ``pages`` (``{name: url}``) as ``user`` (None: anonymous) sees them in a
        phone-sized Chromium, kept in Odoo's screenshots folder (``--screenshots``, by default
        /tmp/odoo_tests/<db>/screenshots/isp_*_<name>.png)."""
        browser = ChromeBrowser(self)
        try:
            with self.allow_requests(browser=browser):
                self.authenticate(user and user.login, user and user.login, browser=browser)
                self.cr.flush()
                self.cr.clear()
                for name, url in pages.items():
                    browser.navigate_to(self.base_url() + url, wait_stop=True)
                    browser._websocket_request('Runtime.evaluate', params={
                        'expression': PAGE_SETTLED, 'awaitPromise': True}, timeout=15)
                    shot = browser._websocket_request(
                        'Page.captureScreenshot', params={'format': 'png', 'captureBeyondViewport': True})
                    png = base64.b64decode(shot['data'])
                    self.assertEqual(png[:8], b'\x89PNG\r\n\x1a\n', name)
                    save_test_file(name, png, 'isp_')
        finally:
            browser.stop()

    def test_dashboard_tour(self):
        self.start_tour('/my/home', 'isp_portal_dashboard', login='portal_a')
        self._screenshots(self.portal_a, {
            'portal_home': '/my/home',
            'portal_dashboard': '/my/isp',
            'portal_service': f'/my/isp/service/{self.sub_overdue.id}',
            'portal_invoices': '/my/isp/invoices',
        })
        self._screenshots(None, {'suspended_notice': '/isp/suspended'})
        self.browser_size = '1366x768'  # and the same customer at a desk
        self._screenshots(self.portal_a, {'desktop_dashboard': '/my/isp',
                                          'desktop_service': f'/my/isp/service/{self.sub_overdue.id}'})

from odoo.tests import HttpCase, tagged

from odoo.addons.web.tests.test_js import unit_test_error_checker


def hoot_job_id(name):
    """The id HOOT gives a suite or test named ``name`` (web/tests/test_js.py, HOOTCommon._generate_hash)."""
    value = 0
    for char in name:
        value = ((value << 5) - value + ord(char)) & 0xFFFFFFFF
    return f'{value:08x}'


@tagged('post_install', '-at_install')
class TestIspCoreHoot(HttpCase):
    """isp_core's JavaScript unit tests (static/tests/*.test.js, the map view's among them) in headless
    Chromium, as Odoo's own WebSuite runs them; skipped by Odoo when no Chromium is installed."""

    def test_hoot_suite_id(self):
        self.assertEqual(hoot_job_id('@web/core'), 'e39ce9ba')

    def test_isp_core_hoot_suite(self):
        self.browser_js(
            f'/web/tests?headless&loglevel=2&preset=desktop&timeout=15000&id={hoot_job_id("@isp_core")}',
            "", "", login='admin', timeout=600, success_signal="[HOOT] Test suite succeeded",
            error_checker=unit_test_error_checker)

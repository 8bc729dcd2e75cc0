from odoo.tests import HttpCase, tagged
from odoo.tools import convert_file

SCOPE = 'auth_signup.invitation_scope'
DATA = 'data/ir_config_parameter.xml'


@tagged('post_install', '-at_install')
class TestSignupScope(HttpCase):
    """Customers get portal access by invitation of the ISP; nobody signs up alone."""

    def test_installed_on_invitation(self):
        self.assertEqual(self.env['res.users']._get_signup_invitation_scope(), 'b2b')

    def test_login_page_offers_no_sign_up(self):
        page = self.url_open('/web/login')
        self.assertEqual(page.status_code, 200)
        self.assertIn('name="login"', page.text)
        self.assertNotIn("/web/signup", page.text)
        self.assertNotIn("Don't have an account", page.text)
        self.assertEqual(self.url_open('/web/signup').status_code, 404)

    def test_update_keeps_the_admin_choice(self):
        params = self.env['ir.config_parameter'].sudo()
        params.set_param(SCOPE, 'b2c')
        convert_file(self.env, 'isp_portal', DATA, {}, mode='update')
        self.assertEqual(params.get_param(SCOPE), 'b2c', "an update must not undo Settings")
        convert_file(self.env, 'isp_portal', DATA, {}, mode='init')
        self.assertEqual(params.get_param(SCOPE), 'b2b')

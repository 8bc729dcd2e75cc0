from odoo.tests import tagged

from .common import IspCoreCase


@tagged('post_install', '-at_install')
class TestSettingsAndViews(IspCoreCase):

    def test_settings_store_contract_values(self):
        settings = self.env['res.config.settings'].create({
            'isp_mac_auto_create': True,
            'isp_mac_default_plan_id': self.plan.id,
            'isp_mac_auto_create_captive_user': False,
            'isp_mac_auto_provision_captive': True,
            'isp_mac_captive_default_profile': 'vip',
            'isp_provisioning_max_attempts': 7,
            'isp_sidecar_url': 'http://127.0.0.1:8080',
            'isp_sidecar_token': 'abc',
            'isp_mac_onboarding_token': 'lease-token',
        })
        settings.execute()
        get = self.env['ir.config_parameter'].sudo().get_param
        self.assertEqual(
            [get('isp_core.' + key) for key in (
                'mac_auto_create', 'mac_default_plan_id', 'mac_auto_create_captive_user',
                'mac_auto_provision_captive', 'mac_captive_default_profile', 'provisioning_max_attempts',
                'sidecar_url', 'sidecar_token', 'mac_onboarding_token')],
            ['1', str(self.plan.id), '0', '1', 'vip', '7', 'http://127.0.0.1:8080', 'abc', 'lease-token'])
        reloaded = self.env['res.config.settings'].create({})
        self.assertTrue(reloaded.isp_mac_auto_create)
        self.assertFalse(reloaded.isp_mac_auto_create_captive_user)

    def test_install_generated_secrets(self):
        get = self.env['ir.config_parameter'].sudo().get_param
        self.assertGreaterEqual(len(get('isp_core.mac_onboarding_token') or ''), 32)
        self.assertGreaterEqual(len(get('isp_core.sidecar_token') or ''), 32)

    def test_every_isp_view_renders_for_admin(self):
        models = self.env['ir.ui.view'].search([('model', '=like', 'isp.%')]).mapped('model')
        self.assertGreaterEqual(len(set(models)), 14)
        for model in set(models):
            types = self.env['ir.ui.view'].search([('model', '=', model), ('inherit_id', '=', False)]).mapped('type')
            self.env[model].with_user(self.admin_user).get_views([(False, vtype) for vtype in set(types)])

    def test_isp_menus_reachable_for_staff(self):
        root = self.env.ref('isp_core.menu_isp_root')
        subscriptions = self.env.ref('isp_core.isp_subscription_menu')
        for user in (self.admin_user, self.noc_user, self.support_user, self.billing_user, self.field_user):
            visible = self.env['ir.ui.menu'].with_user(user)._visible_menu_ids()
            self.assertTrue({root.id, subscriptions.id} <= visible, user.login)
        self.assertNotIn(root.id, self.env['ir.ui.menu'].with_user(self.plain_user)._visible_menu_ids())
        self.assertNotIn(self.env.ref('isp_core.isp_audit_log_menu').id,
                         self.env['ir.ui.menu'].with_user(self.support_user)._visible_menu_ids())

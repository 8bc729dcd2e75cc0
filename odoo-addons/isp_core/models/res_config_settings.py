from odoo import api, fields, models

from odoo.addons.isp_core.tools.flags import is_enabled

# Contract values of the boolean parameters are "1"/"0", not Odoo's "True"/absent.
FLAG_PARAMS = {
    'isp_mac_auto_create': 'isp_core.mac_auto_create',
    'isp_mac_auto_create_captive_user': 'isp_core.mac_auto_create_captive_user',
    'isp_mac_auto_provision_captive': 'isp_core.mac_auto_provision_captive',
}


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    isp_mac_onboarding_token = fields.Char(
        "MAC onboarding token", config_parameter='isp_core.mac_onboarding_token',
        help="Bearer token of the routers' DHCP lease-script (the gateway's ISP_MAC_TOKEN).")
    isp_mac_auto_create = fields.Boolean("Create a draft subscription for unknown MACs")
    isp_mac_default_plan_id = fields.Many2one(
        'isp.service_plan', "Default plan", config_parameter='isp_core.mac_default_plan_id')
    isp_mac_auto_create_captive_user = fields.Boolean("Create a captive user for new MACs")
    isp_mac_auto_provision_captive = fields.Boolean("Provision captive users on the router")
    isp_mac_captive_default_profile = fields.Char(
        "Captive user profile", config_parameter='isp_core.mac_captive_default_profile', default='default')
    isp_provisioning_max_attempts = fields.Integer(
        "Max attempts per job", config_parameter='isp_core.provisioning_max_attempts', default=5)
    isp_sidecar_url = fields.Char(
        "Gateway URL", config_parameter='isp_core.sidecar_url',
        help="Odoo posts new job ids to <URL>/v1/jobs/notify after each commit.")
    isp_sidecar_token = fields.Char(
        "Gateway token", config_parameter='isp_core.sidecar_token', help="The gateway's ISP_SIDECAR_TOKEN.")

    @api.model
    def get_values(self):
        res = super().get_values()
        params = self.env['ir.config_parameter'].sudo()
        for fname, key in FLAG_PARAMS.items():
            res[fname] = is_enabled(params.get_param(key))
        return res

    def set_values(self):
        super().set_values()
        params = self.env['ir.config_parameter'].sudo()
        for fname, key in FLAG_PARAMS.items():
            params.set_param(key, '1' if self[fname] else '0')

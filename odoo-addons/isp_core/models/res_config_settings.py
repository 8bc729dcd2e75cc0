from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.isp_core.models.ir_http import (
    DEFAULT_MAP_TILE_ATTRIBUTION, DEFAULT_MAP_TILE_URL, MAP_TILE_ATTRIBUTION_PARAM, MAP_TILE_URL_PARAM,
    map_tile_url_problem,
)
from odoo.addons.isp_core.tools.flags import is_enabled
from odoo.addons.isp_core.tools.network import parse_ip_port

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
    isp_sync_interval_hours = fields.Integer(
        "Router sync interval (hours)", config_parameter='isp_core.sync_interval_hours', default=24,
        help="How often each active router gets a sync job that repairs any drift from Odoo's state. The "
             "cron \"ISP: router drift repair\" spreads the routers over this interval.")
    isp_healthcheck_interval_minutes = fields.Integer(
        "Router health check interval (minutes)", config_parameter='isp_core.healthcheck_interval_minutes',
        default=15,
        help="How often each active router gets a health check job. The cron \"ISP: router health check\" "
             "spreads the routers over this interval.")
    isp_suspended_redirect_address = fields.Char(
        "Suspension notice server", config_parameter='isp_core.suspended_redirect_address',
        help="IPv4 address and port (e.g. 10.0.0.5:80) of the web server showing the suspension notice: "
             "the routers redirect the plain HTTP of suspended customers there. Empty: no redirect.")

    isp_max_sector_distance_km = fields.Float(
        "Max distance from sector (km)", config_parameter='isp_core.max_sector_distance_km', default=15.0,
        help="A subscription placed farther than this from its sector's position is flagged (filter \"Far from "
             "sector\", warning on its form). 0: no check.")
    isp_outage_ticket_threshold = fields.Integer(
        "Ticket burst: tickets", config_parameter='isp_core.outage_ticket_threshold', default=3,
        help="This many fault tickets opened on the same router or sector within the window make a ticket burst, "
             "listed in Network > Outages.")
    isp_outage_window_minutes = fields.Integer(
        "Ticket burst: window (minutes)", config_parameter='isp_core.outage_window_minutes', default=30)

    @api.constrains('isp_max_sector_distance_km', 'isp_outage_ticket_threshold', 'isp_outage_window_minutes')
    def _check_isp_geo(self):
        for settings in self:
            if settings.isp_max_sector_distance_km < 0:
                raise ValidationError(self.env._("The maximum distance from a sector cannot be negative."))
            if settings.isp_outage_ticket_threshold < 1 or settings.isp_outage_window_minutes < 1:
                raise ValidationError(self.env._(
                    "A ticket burst needs at least 1 ticket and a window of at least 1 minute."))

    isp_map_tile_url = fields.Char(
        "Map tile server", config_parameter=MAP_TILE_URL_PARAM, default=DEFAULT_MAP_TILE_URL,
        help="Template of the map background's tile URLs, with {z}, {x} and {y} (OpenStreetMap's by default). "
             "Without access to it the maps still show their markers.")
    isp_map_tile_attribution = fields.Char(
        "Map attribution", config_parameter=MAP_TILE_ATTRIBUTION_PARAM, default=DEFAULT_MAP_TILE_ATTRIBUTION,
        help="Credit the tile server requires, shown in the map's corner (HTML links allowed).")

    @api.constrains('isp_map_tile_url')
    def _check_isp_map_tile_url(self):
        for settings in self:
            problem = map_tile_url_problem((settings.isp_map_tile_url or '').strip())
            if problem == 'scheme':
                raise ValidationError(self.env._("The map tile server must be an http:// or https:// address."))
            if problem == 'placeholders':
                raise ValidationError(self.env._(
                    "The map tile server address needs the placeholders {z}, {x} and {y}."))

    @api.constrains('isp_sync_interval_hours', 'isp_healthcheck_interval_minutes')
    def _check_isp_intervals(self):
        for settings in self:
            if settings.isp_sync_interval_hours < 1 or settings.isp_healthcheck_interval_minutes < 1:
                raise ValidationError(self.env._(
                    "The router sync and health check intervals must be at least 1."))

    @api.constrains('isp_suspended_redirect_address')
    def _check_isp_suspended_redirect_address(self):
        for settings in self:
            value = (settings.isp_suspended_redirect_address or '').strip()
            if value and not parse_ip_port(value):
                raise ValidationError(self.env._(
                    "Suspension notice server: %s is not an IPv4 address and port such as 10.0.0.5:80.", value))

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

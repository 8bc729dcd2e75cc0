from odoo import fields, models


class IspCaptiveWalledGarden(models.Model):
    _name = 'isp.captive.walled_garden'
    _description = "Hotspot walled-garden entry"
    _rec_name = 'dst_host'

    dst_host = fields.Char(
        "Destination host", required=True,
        help="Host hotspot clients may reach before they log in (dst-host of /ip/hotspot/walled-garden). "
             "The provisioner reads the entries of each router through isp.device.sidecar_router_policy.")
    comment = fields.Char()
    active = fields.Boolean(default=True)
    device_ids = fields.Many2many(
        'isp.device', string="Routers", help="Routers this entry applies to. Empty: every router.")

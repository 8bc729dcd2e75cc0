from odoo import fields, models


class IspCaptiveWalledGarden(models.Model):
    _name = 'isp.captive.walled_garden'
    _description = "Hotspot walled-garden entry"
    _rec_name = 'dst_host'

    dst_host = fields.Char("Destination host", required=True, help="Pushed to /ip/hotspot/walled-garden.")
    comment = fields.Char()
    active = fields.Boolean(default=True)
    device_ids = fields.Many2many('isp.device', string="Routers")

from odoo import fields, models


class IspCaptiveSession(models.Model):
    _name = 'isp.captive.session'
    _description = "Hotspot session (mirror of /ip/hotspot/active)"
    _order = 'started_at desc, id desc'

    user_id = fields.Many2one('isp.captive.user', string="Captive user", index=True, ondelete='cascade',
                              readonly=True)
    device_id = fields.Many2one('isp.device', string="Router", index=True, ondelete='cascade', readonly=True)
    ip_address = fields.Char("IP address", readonly=True)
    mac_address = fields.Char("MAC address", readonly=True)
    started_at = fields.Datetime(readonly=True)
    ended_at = fields.Datetime(readonly=True)
    bytes_in = fields.Float(readonly=True, digits=(16, 0))
    bytes_out = fields.Float(readonly=True, digits=(16, 0))

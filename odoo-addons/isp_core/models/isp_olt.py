from odoo import api, fields, models
from odoo.exceptions import ValidationError


class IspOlt(models.Model):
    _name = 'isp.olt'
    _description = "Optical line terminal"
    _order = 'name'

    name = fields.Char(required=True)
    sector_id = fields.Many2one('isp.sector', required=True, index=True, ondelete='restrict')
    device_id = fields.Many2one('isp.device', string="Uplink router", ondelete='restrict')
    model = fields.Char()
    pon_ports = fields.Integer("PON ports", default=1)
    onu_ids = fields.One2many('isp.onu', 'olt_id', string="ONUs")
    active = fields.Boolean(default=True)

    @api.constrains('pon_ports')
    def _check_pon_ports(self):
        for olt in self:
            if olt.pon_ports < 1:
                raise ValidationError(self.env._("OLT %s needs at least one PON port.", olt.name))

    @api.constrains('device_id', 'sector_id')
    def _check_device_sector(self):
        for olt in self:
            if olt.device_id and olt.device_id.sector_id != olt.sector_id:
                raise ValidationError(self.env._(
                    "OLT %(olt)s: its uplink router %(device)s belongs to another sector.",
                    olt=olt.name, device=olt.device_id.name))

    @api.onchange('device_id')
    def _onchange_device_id(self):
        if self.device_id:
            self.sector_id = self.device_id.sector_id

    @api.onchange('sector_id')
    def _onchange_sector_id(self):
        if self.device_id.sector_id != self.sector_id:
            self.device_id = False

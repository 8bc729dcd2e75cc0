from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.isp_core.tools.network import normalize_mac


class IspOnu(models.Model):
    _name = 'isp.onu'
    _description = "Optical network unit (CPE)"
    _order = 'serial'
    _rec_name = 'serial'

    serial = fields.Char(required=True, copy=False)
    mac_address = fields.Char("MAC address", copy=False)
    vendor = fields.Char()
    model = fields.Char()
    olt_id = fields.Many2one('isp.olt', string="OLT", ondelete='restrict')
    pon_port = fields.Integer("PON port")
    sector_id = fields.Many2one('isp.sector', index=True, ondelete='restrict')
    status = fields.Selection(
        [('stock', "In stock"), ('installed', "Installed"), ('faulty', "Faulty"), ('retired', "Retired")],
        default='stock', required=True)
    subscription_ids = fields.One2many('isp.subscription', 'onu_id', string="Subscriptions")
    assignment_ids = fields.One2many('isp.onu.assignment', 'onu_id', string="Assignment history")
    # Stored so that maps read an ONU's place without walking its subscriptions.
    subscription_id = fields.Many2one('isp.subscription', string="Subscription", compute='_compute_subscription_id',
                                      store=True, index='btree_not_null',
                                      help="The subscription this ONU serves (not terminated).")
    gps_lat = fields.Float(related='subscription_id.gps_lat', string="Latitude", store=True)
    gps_lng = fields.Float(related='subscription_id.gps_lng', string="Longitude", store=True)

    _serial_uniq = models.Constraint('UNIQUE(serial)', "An ONU with this serial already exists.")
    _mac_uniq = models.UniqueIndex(
        '(mac_address) WHERE mac_address IS NOT NULL', "An ONU with this MAC already exists.")

    @api.constrains('pon_port', 'olt_id')
    def _check_pon_port(self):
        for onu in self:
            if onu.olt_id and not 0 <= onu.pon_port <= onu.olt_id.pon_ports:
                raise ValidationError(self.env._(
                    "ONU %(onu)s: PON port %(port)s does not exist on OLT %(olt)s.",
                    onu=onu.serial, port=onu.pon_port, olt=onu.olt_id.name))

    @api.depends('subscription_ids.state')
    def _compute_subscription_id(self):
        for onu in self:
            # At most one: a unique index keeps an ONU on one subscription that is not terminated.
            onu.subscription_id = onu.subscription_ids.filtered(lambda sub: sub.state != 'terminated')[:1]

    @api.onchange('olt_id')
    def _onchange_olt_id(self):
        if self.olt_id:
            self.sector_id = self.olt_id.sector_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_mac_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_mac_vals(vals)
        return super().write(vals)

    def _normalize_mac_vals(self, vals):
        if vals.get('mac_address'):
            mac = normalize_mac(vals['mac_address'])
            if not mac:
                raise ValidationError(self.env._("%s is not a valid MAC address.", vals['mac_address']))
            vals['mac_address'] = mac

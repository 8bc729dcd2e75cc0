from odoo import api, fields, models


class IspSector(models.Model):
    _name = 'isp.sector'
    _description = "ISP sector (service zone)"
    _order = 'code'

    name = fields.Char(required=True)
    code = fields.Char(required=True, help="Unique code, e.g. SEC-001-los_cacaos.")
    gps_lat = fields.Float("Latitude", digits=(10, 7))
    gps_lng = fields.Float("Longitude", digits=(10, 7))
    device_ids = fields.One2many('isp.device', 'sector_id', string="Routers")
    subscription_count = fields.Integer(compute='_compute_subscription_count')
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint('UNIQUE(code)', "A sector with this code already exists.")

    @api.depends('code', 'name')
    def _compute_display_name(self):
        for sector in self:
            sector.display_name = f"[{sector.code}] {sector.name}" if sector.code else sector.name

    def _compute_subscription_count(self):
        counts = dict(self.env['isp.subscription']._read_group(
            [('sector_id', 'in', self.ids)], ['sector_id'], ['__count']))
        for sector in self:
            sector.subscription_count = counts.get(sector, 0)

    @api.model
    def _search_display_name(self, operator, value):
        if operator in ('ilike', 'like', '=', '=ilike') and value:
            return ['|', ('code', operator, value), ('name', operator, value)]
        return super()._search_display_name(operator, value)

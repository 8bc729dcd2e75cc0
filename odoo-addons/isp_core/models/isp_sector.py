from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from odoo.addons.isp_core.tools.convex_hull import convex_hull
from odoo.addons.isp_core.tools.geo import gps_problem


class IspSector(models.Model):
    _name = 'isp.sector'
    _description = "ISP sector (service zone)"
    _order = 'code'

    name = fields.Char(required=True)
    code = fields.Char(required=True, help="Unique code, e.g. SEC-001-los_cacaos.")
    gps_lat = fields.Float("Latitude", digits=(10, 7))
    gps_lng = fields.Float("Longitude", digits=(10, 7))
    device_ids = fields.One2many('isp.device', 'sector_id', string="Routers")
    subscription_count = fields.Integer("Subscriptions", compute='_compute_subscription_count')
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint('UNIQUE(code)', "A sector with this code already exists.")

    @api.constrains('gps_lat', 'gps_lng')
    def _check_gps(self):
        for sector in self:
            problem = gps_problem(sector.gps_lat, sector.gps_lng)
            if problem == 'lat':
                raise ValidationError(self.env._("Sector %(sector)s: latitude %(lat)s is outside -90..90.",
                                                 sector=sector.display_name, lat=sector.gps_lat))
            if problem == 'lng':
                raise ValidationError(self.env._("Sector %(sector)s: longitude %(lng)s is outside -180..180.",
                                                 sector=sector.display_name, lng=sector.gps_lng))

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

    # ------------------------------------------------------------------ map

    @api.model
    def _isp_map_areas(self, ids):
        """Each sector's area on the map: the convex hull of its subscriptions' positions (not terminated),
        read with the caller's rights."""
        rows = self.env['isp.subscription']._read_group(
            Domain('sector_id', 'in', ids) & Domain('state', '!=', 'terminated')
            & (Domain('gps_lat', '!=', 0) | Domain('gps_lng', '!=', 0)),
            ['sector_id'], ['gps_lat:array_agg', 'gps_lng:array_agg'])
        return {sector.id: [list(corner) for corner in convex_hull(zip(lats, lngs))] for sector, lats, lngs in rows}

from odoo import api, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from odoo.addons.isp_core.models.ir_ui_view import COORDINATE_TYPES

# ~0.1 m: enough for a map, and a third shorter on the wire than a float's 15 digits.
MAP_DECIMALS = 6


class Base(models.AbstractModel):
    _inherit = 'base'

    @api.model
    @api.readonly
    def isp_map_read(self, domain, lat_field, lng_field, status_field=False):
        """What the map view draws for the records of ``domain`` that have a position, in one compact
        answer: ``{'points': [[id, lat, lng, status], …], 'areas': {id: [[lat, lng], …]}}``. Read
        with the caller's rights (access rules and record rules apply); the popup's facts are read
        separately for the one record clicked."""
        self._isp_map_check_fields(lat_field, lng_field, status_field)
        placed = Domain(lat_field, '!=', 0) | Domain(lng_field, '!=', 0)
        points = self._isp_map_points(Domain(domain) & placed, lat_field, lng_field, status_field or None)
        return {'points': points, 'areas': self._isp_map_areas([point[0] for point in points])}

    def _isp_map_check_fields(self, lat_field, lng_field, status_field):
        for fname in (lat_field, lng_field):
            field = self._fields.get(fname) if isinstance(fname, str) else None
            if not field or field.type not in COORDINATE_TYPES:
                raise UserError(self.env._("The map needs number fields for its position, not “%s”.", fname))
        if status_field:
            field = self._fields.get(status_field) if isinstance(status_field, str) else None
            if not field or field.type != 'selection':
                raise UserError(self.env._("The map's status must be a selection field, not “%s”.", status_field))

    @api.model
    def _isp_map_points(self, domain, lat_field, lng_field, status_field):
        """``[[id, lat, lng, status], …]``: one grouped query, no record cache (100k points in a few
        hundred ms). A model whose status is computed overrides this for that status field."""
        groupby = [status_field] if status_field else []
        aggregates = ['id:array_agg', f'{lat_field}:array_agg', f'{lng_field}:array_agg']
        points = []
        for *key, ids, lats, lngs in self._read_group(domain, groupby, aggregates):
            status = key[0] if key else False
            points.extend(
                [id_, round(lat, MAP_DECIMALS), round(lng, MAP_DECIMALS), status]
                for id_, lat, lng in zip(ids, lats, lngs))
        return points

    @api.model
    def _isp_map_areas(self, ids):
        """Polygons to draw under the markers of ``ids``, by record id; none by default."""
        return {}

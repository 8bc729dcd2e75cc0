from odoo import models
from odoo.tools import html_sanitize

MAP_TILE_URL_PARAM = 'isp_core.map_tile_url'
MAP_TILE_ATTRIBUTION_PARAM = 'isp_core.map_tile_attribution'
DEFAULT_MAP_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'
DEFAULT_MAP_TILE_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors')


def map_tile_url_problem(url):
    """Why ``url`` cannot be a tile server template (None when it can): http(s), with {z}, {x} and {y}."""
    if not url.startswith(('https://', 'http://')):
        return 'scheme'
    if not all(part in url for part in ('{z}', '{x}', '{y}')):
        return 'placeholders'
    return None


def sanitized_attribution(html):
    """Leaflet writes the attribution as HTML: only a sanitised one reaches the page, without the paragraph
    the sanitiser wraps loose text in (the attribution is one line of the map's corner)."""
    clean = str(html_sanitize(html))
    if clean.startswith('<p>') and clean.endswith('</p>') and clean.count('<p>') == 1:
        clean = clean[3:-4]
    return clean


class IrHttp(models.AbstractModel):
    _inherit = 'ir.http'

    def _isp_map_tiles(self):
        """The tile server the maps draw under their markers (Settings → ISP → Map)."""
        params = self.env['ir.config_parameter'].sudo()
        return {
            'url': params.get_param(MAP_TILE_URL_PARAM) or DEFAULT_MAP_TILE_URL,
            'attribution': sanitized_attribution(params.get_param(MAP_TILE_ATTRIBUTION_PARAM)
                                                 or DEFAULT_MAP_TILE_ATTRIBUTION),
        }

    def session_info(self):
        info = super().session_info()
        if self.env.user._is_internal():
            info['isp_map_tiles'] = self._isp_map_tiles()
        return info

from lxml import etree

from odoo import fields, models

# Bootstrap contextual colours a marker may take (bg-<name> / text-bg-<name> in the back office).
MAP_COLORS = ('success', 'danger', 'warning', 'info', 'primary', 'secondary', 'dark')
MAP_VIEW_ATTRIBUTES = {
    '__validate__',                     # ir.ui.view implementation detail
    'class', 'js_class', 'string', 'create', 'edit', 'delete',
    'lat', 'lng', 'status', 'colors',
}
COORDINATE_TYPES = ('float', 'integer', 'monetary')


def parse_map_colors(value):
    """``"active:success;suspended:danger"`` → ``{'active': 'success', 'suspended': 'danger'}``; raises
    ValueError on a malformed pair (the JS arch parser reads the same syntax)."""
    colors = {}
    for pair in filter(None, (part.strip() for part in (value or '').split(';'))):
        key, sep, color = pair.partition(':')
        if not sep or not key.strip() or not color.strip():
            raise ValueError(pair)
        colors[key.strip()] = color.strip()
    return colors


class IrUiView(models.Model):
    _inherit = 'ir.ui.view'

    type = fields.Selection(selection_add=[('isp_map', "Map")])

    def _validate_tag_isp_map(self, node, name_manager, node_info):
        """``<isp_map lat= lng= [status=] [colors=]>`` with ``<field>`` children (the popup's facts)."""
        model = name_manager.model
        for attr in ('lat', 'lng', 'status'):
            fname = node.get(attr)
            if fname:
                # Like <calendar date_start=…>: the field must exist, and the client gets its description.
                name_manager.has_field(node, fname, node_info)
        if not node_info['validate']:
            return
        remaining = set(node.attrib) - MAP_VIEW_ATTRIBUTES
        if remaining:
            self._raise_view_error(self.env._(
                "Invalid attributes (%(invalid)s) in map view. Attributes must be in (%(valid)s)",
                invalid=", ".join(sorted(remaining)), valid=", ".join(sorted(MAP_VIEW_ATTRIBUTES - {'__validate__'}))),
                node)
        for attr in ('lat', 'lng'):
            fname = node.get(attr)
            if not fname:
                self._raise_view_error(self.env._("A map view needs the attribute %s.", attr), node)
            field = model._fields.get(fname)
            if field and field.type not in COORDINATE_TYPES:
                self._raise_view_error(self.env._(
                    "Map view: %(attr)s must name a number field, %(field)s is a %(type)s field.",
                    attr=attr, field=fname, type=field.type), node)
        status = model._fields.get(node.get('status') or '')
        if status and status.type != 'selection':
            self._raise_view_error(self.env._(
                "Map view: status must name a selection field, %(field)s is a %(type)s field.",
                field=status.name, type=status.type), node)
        try:
            colors = parse_map_colors(node.get('colors'))
        except ValueError as error:
            self._raise_view_error(self.env._(
                "Map view: colors must read value:color;value:color, not “%s”.", error.args[0]), node)
        if colors and not status:
            self._raise_view_error(self.env._("Map view: colors need a status field."), node)
        values = {value for value, _label in status._description_selection(self.env)} if status else set()
        for value, color in colors.items():
            if value not in values:
                self._raise_view_error(self.env._(
                    "Map view: %(value)s is not a value of %(field)s.", value=value, field=status.name), node)
            if color not in MAP_COLORS:
                self._raise_view_error(self.env._(
                    "Map view: unknown color %(color)s (use one of %(colors)s).",
                    color=color, colors=", ".join(MAP_COLORS)), node)
        for child in node.iterchildren(tag=etree.Element):
            if child.tag != 'field':
                self._raise_view_error(self.env._(
                    "A map view can only contain <field> elements, not <%s>.", child.tag), child)

    def _get_view_info(self):
        return {'isp_map': {'icon': 'fa fa-map-marker'}} | super()._get_view_info()

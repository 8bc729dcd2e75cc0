from odoo import api, models


class IspSequenceMixin(models.AbstractModel):
    """Records named from an ``ir.sequence`` when created (``name`` left at its "New" default)."""
    _name = 'isp.sequence.mixin'
    _description = "ISP sequence-named record"
    _sequence_code = None

    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env['ir.sequence'].sudo()
        new = self.env._("New")
        for vals in vals_list:
            if vals.get('name', new) == new:
                vals['name'] = sequence.next_by_code(self._sequence_code) or new
        return super().create(vals_list)

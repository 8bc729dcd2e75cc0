from odoo import fields, models


class IrActionsActWindowView(models.Model):
    _inherit = 'ir.actions.act_window.view'

    view_mode = fields.Selection(selection_add=[('isp_map', "Map")], ondelete={'isp_map': 'cascade'})

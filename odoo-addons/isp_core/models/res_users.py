from odoo import fields, models


class ResUsers(models.Model):
    _inherit = 'res.users'

    isp_sector_ids = fields.Many2many(
        'isp.sector', 'isp_sector_res_users_rel', 'user_id', 'sector_id', string="ISP sectors",
        help="When set, NOC, support, billing and field users only see records of these sectors.")

    def write(self, vals):
        res = super().write(vals)
        if 'isp_sector_ids' in vals:
            # Record rules read this field, and their domains are cached per user.
            self.env.registry.clear_cache()
        return res

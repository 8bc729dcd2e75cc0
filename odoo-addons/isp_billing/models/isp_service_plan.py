from odoo import api, fields, models


class IspServicePlan(models.Model):
    _inherit = 'isp.service_plan'

    tax_ids = fields.Many2many(
        'account.tax', string="Taxes", domain=[('type_tax_use', '=', 'sale')],
        default=lambda self: self.env.company.account_sale_tax_id,
        help="Taxes of the monthly invoice line; the plan price is their base.")

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        plans._sync_product_taxes()
        return plans

    def write(self, vals):
        res = super().write(vals)
        if 'tax_ids' in vals:
            self._sync_product_taxes()
        return res

    def _sync_product_taxes(self):
        # Invoices take the plan's taxes explicitly; the product follows so that a manual
        # invoice line for the same product gets the same taxes.
        for plan in self.filtered('product_id'):
            plan.product_id.sudo().taxes_id = plan.tax_ids

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class IspServicePlan(models.Model):
    _name = 'isp.service_plan'
    _description = "ISP service plan"
    _order = 'price, name'

    name = fields.Char(required=True)
    down_mbps = fields.Float("Download (Mbps)", required=True)
    up_mbps = fields.Float("Upload (Mbps)", required=True)
    price = fields.Monetary("Monthly price", currency_field='currency_id')
    currency_id = fields.Many2one(
        'res.currency', required=True, default=lambda self: self.env.company.currency_id)
    product_id = fields.Many2one(
        'product.product', string="Product", readonly=True, copy=False, ondelete='restrict',
        help="Service product used on invoice lines; created with the plan.")
    active = fields.Boolean(default=True)
    subscription_count = fields.Integer("Subscriptions", compute='_compute_subscription_count')

    @api.constrains('down_mbps', 'up_mbps', 'price')
    def _check_speeds(self):
        for plan in self:
            if plan.down_mbps <= 0 or plan.up_mbps <= 0:
                raise ValidationError(self.env._(
                    "Plan %s: download and upload speeds must be greater than zero.", plan.name))
            if plan.price < 0:
                raise ValidationError(self.env._("Plan %s: the price cannot be negative.", plan.name))

    def _compute_subscription_count(self):
        counts = dict(self.env['isp.subscription']._read_group(
            [('plan_id', 'in', self.ids), ('state', 'in', ('active', 'suspended'))], ['plan_id'], ['__count']))
        for plan in self:
            plan.subscription_count = counts.get(plan, 0)

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        products = self.env['product.product'].sudo().create([plan._product_values() for plan in plans])
        for plan, product in zip(plans, products):
            plan.product_id = product
        return plans

    def write(self, vals):
        res = super().write(vals)
        if {'name', 'price', 'active'} & set(vals):
            for plan in self.filtered('product_id'):
                plan.product_id.sudo().write(plan._product_values())
        return res

    def action_view_subscriptions(self):
        """The live subscriptions of the plan: those its counter counts."""
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('isp_core.isp_subscription_action')
        action['domain'] = [('plan_id', '=', self.id), ('state', 'in', ('active', 'suspended'))]
        action['context'] = {'default_plan_id': self.id}
        return action

    def _product_values(self):
        self.ensure_one()
        return {
            'name': self.name,
            'type': 'service',
            'list_price': self.price,
            'sale_ok': True,
            'purchase_ok': False,
            'active': self.active,
        }

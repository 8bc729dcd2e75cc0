from odoo import fields, models


class IspServicePlan(models.Model):
    _inherit = 'isp.service_plan'

    # Lets the portal rule show a customer the plan they are on even once it is archived.
    subscription_ids = fields.One2many('isp.subscription', 'plan_id', groups='base.group_user')
    # How many customers have a plan, and how it is booked, is the ISP's business, not theirs.
    subscription_count = fields.Integer(groups='base.group_user')
    product_id = fields.Many2one(groups='base.group_user')
    tax_ids = fields.Many2many(groups='base.group_user')

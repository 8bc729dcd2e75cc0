from odoo import fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    isp_portal_auto_grant_portal = fields.Boolean(
        "Portal access on activation", config_parameter='isp_portal.auto_grant_portal',
        help="Give the customer a portal user, and mail the invitation, when a subscription is activated.")
    isp_portal_promise_days = fields.Integer(
        "Promise to pay", config_parameter='isp_portal.promise_days', default=0,
        help="Promise to pay: days a suspended customer may reconnect themselves (0 = off).")

    def set_values(self):
        if self.isp_portal_promise_days < 0:
            raise ValidationError(self.env._("The promise-to-pay days cannot be negative."))
        super().set_values()

from odoo import api, fields, models


class IspSubscriptionSuspend(models.TransientModel):
    """Suspend one or more active subscriptions from the back office, with the reason on record."""
    _name = 'isp.subscription.suspend'
    _description = "Suspend subscriptions"

    subscription_ids = fields.Many2many('isp.subscription', string="Subscriptions", required=True)
    reason = fields.Char(required=True, help="Kept on the subscription, tracked in its chatter and audited.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get('active_model') == 'isp.subscription' and 'subscription_ids' in fields_list:
            values['subscription_ids'] = [fields.Command.set(self.env.context.get('active_ids', []))]
        return values

    def action_confirm(self):
        self.ensure_one()
        self.subscription_ids.action_suspend(reason=self.reason)
        return {'type': 'ir.actions.act_window_close'}

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    isp_billing_suspension_day = fields.Integer(
        "Suspension day", config_parameter='isp_billing.suspension_day', default=10,
        help="Day of the month (1-28) on which the service is suspended for an invoice that was already due "
             "and whose service period had begun before it.")
    isp_billing_grace_days = fields.Integer(
        "Grace days", config_parameter='isp_billing.grace_days', default=0,
        help="Days added to the suspension day before the service is cut.")
    isp_billing_invoice_suspended = fields.Boolean(
        "Invoice suspended subscriptions", help="Keep invoicing subscriptions while they are suspended.")
    isp_billing_invoice_batch_size = fields.Integer(
        "Invoices per batch", config_parameter='isp_billing.invoice_batch_size', default=500,
        help="Subscriptions invoiced per committed batch of the recurring invoicing cron.")
    isp_billing_transfer_journal_id = fields.Many2one(
        'account.journal', "Bank transfer journal", config_parameter='isp_billing.transfer_journal_id',
        domain="[('type', 'in', ('bank', 'cash'))]",
        help="Journal on which approved customer bank transfers are registered.")

    @api.model
    def get_values(self):
        res = super().get_values()
        flag = self.env['ir.config_parameter'].sudo().get_param('isp_billing.invoice_suspended', '1')
        res['isp_billing_invoice_suspended'] = flag == '1'
        return res

    def set_values(self):
        if not 1 <= self.isp_billing_suspension_day <= 28:
            raise ValidationError(self.env._("The suspension day must be between 1 and 28."))
        if self.isp_billing_grace_days < 0:
            raise ValidationError(self.env._("Grace days cannot be negative."))
        super().set_values()
        self.env['ir.config_parameter'].sudo().set_param(
            'isp_billing.invoice_suspended', '1' if self.isp_billing_invoice_suspended else '0')

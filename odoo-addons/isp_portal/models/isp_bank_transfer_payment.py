from markupsafe import Markup

from odoo import models
from odoo.tools import formatLang


class IspBankTransferPayment(models.Model):
    """The customer's side of a reported bank transfer: its portal page and what they are told."""
    _name = 'isp.bank.transfer.payment'
    _inherit = ['isp.bank.transfer.payment', 'portal.mixin']

    # ------------------------------------------------------------------ computes

    def _compute_access_url(self):
        super()._compute_access_url()
        for transfer in self:
            transfer.access_url = f'/my/isp/payments/transfer/{transfer.id}'

    # ------------------------------------------------------------------ actions

    def action_approve(self):
        res = super().action_approve()
        self._notify_customer('approved')
        return res

    def action_apply(self):
        res = super().action_apply()
        self._notify_customer('applied')
        return res

    def action_reject(self):
        res = super().action_reject()
        self._notify_customer('rejected')
        return res

    # ------------------------------------------------------------------ business

    def _notify_customer(self, outcome):
        """Tell the customer, by e-mail and in the transfer's portal chatter, what the billing
        team decided. The e-mail is queued (sent by the mail queue), never sent inline."""
        for transfer in self:
            partner = transfer.partner_id
            transfer = transfer.with_context(lang=partner.lang or self.env.lang, mail_notify_force_send=False)
            body = transfer._customer_message(outcome)
            transfer.sudo().message_post(
                body=body,
                partner_ids=partner.ids,
                message_type='comment',
                subtype_xmlid='mail.mt_comment',
            )

    def _customer_message(self, outcome):
        self.ensure_one()
        env = self.env
        details = {
            'name': self.name,
            'amount': formatLang(env, self.amount, currency_obj=self.currency_id),
            'bank': self.bank_name,
            'reference': self.reference,
        }
        if outcome == 'approved':
            text = env._("Your bank transfer %(name)s (%(amount)s, %(bank)s %(reference)s) was approved. "
                         "It will be applied to your invoices shortly.", **details)
        elif outcome == 'applied':
            invoices = ", ".join(self.invoice_ids.mapped('name'))
            text = env._("Your bank transfer %(name)s (%(amount)s, %(bank)s %(reference)s) was applied to "
                         "your invoices %(invoices)s. Thank you for your payment.", invoices=invoices, **details)
        else:
            text = env._("Your bank transfer %(name)s (%(amount)s, %(bank)s %(reference)s) was rejected: "
                         "%(reason)s. You can report the transfer again with the right details and receipt.",
                         reason=(self.rejection_reason or '').strip(), **details)
        return Markup('<p>%s</p>') % text

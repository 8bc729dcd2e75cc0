from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import format_datetime

from odoo.addons.isp_billing.models.isp_subscription import UNPAID_STATES


class IspSubscription(models.Model):
    """Promise to pay: a subscription suspended for non-payment reconnected on the customer's word."""
    _inherit = 'isp.subscription'

    promise_ids = fields.One2many('isp.payment.promise', 'subscription_id', string="Promises to pay")
    promise_refusal = fields.Char(
        "Promise refusal", compute='_compute_promise_offer',
        help="Why the customer cannot promise to pay now; empty when they can.")
    promise_offer_until = fields.Datetime(
        "Promise offer until", compute='_compute_promise_offer',
        help="Until when a promise made now would keep the service.")
    active_promise_id = fields.Many2one('isp.payment.promise', string="Active promise",
                                        compute='_compute_active_promise')

    # ------------------------------------------------------------------ computes

    @api.depends_context('uid')
    def _compute_promise_offer(self):
        for sub in self:
            sub.promise_refusal = sub._promise_refusal() or False
            sub.promise_offer_until = False if sub.promise_refusal else sub._promise_deadline()

    @api.depends('promise_ids.state')
    def _compute_active_promise(self):
        for sub in self:
            sub.active_promise_id = sub.promise_ids.filtered(lambda p: p.state == 'active')[:1]

    # ------------------------------------------------------------------ business

    @api.model
    def _promise_days(self):
        """``isp_portal.promise_days``; 0 (the default, or anything unreadable) turns promises off."""
        value = self.env['ir.config_parameter'].sudo().get_param('isp_portal.promise_days', '0')
        try:
            return max(0, int(value))
        except (TypeError, ValueError):
            return 0

    def _promise_invoice(self):
        """The invoice a promise would cover: the oldest unpaid one of the subscription."""
        self.ensure_one()
        return self.env['account.move'].search([
            ('isp_subscription_id', '=', self.id),
            ('move_type', '=', 'out_invoice'),
            ('state', '=', 'posted'),
            ('payment_state', 'in', UNPAID_STATES),
        ], order='invoice_date_due, id', limit=1)

    def _promise_refusal(self):
        """Why the customer may not promise to pay now, in words for them; False when they may."""
        self.ensure_one()
        if not self._promise_days():
            return self.env._("Promises to pay are not available.")
        if self.state != 'suspended' or not self.suspended_for_nonpayment:
            return self.env._("Your service is not suspended for non-payment: there is nothing to reconnect.")
        invoice = self._promise_invoice()
        if not invoice:
            return self.env._("There is no unpaid invoice to promise to pay.")
        if self.promise_ids.filtered(lambda p: p.invoice_id == invoice and p.state != 'cancelled'):
            return self.env._("You have already used your promise to pay for invoice %s. Pay it to get your "
                              "service back.", invoice.name)
        return False

    def _promise_deadline(self, start=None):
        return (start or fields.Datetime.now()) + timedelta(days=self._promise_days())

    def _promise_deadline_text(self, deadline):
        tz = self.partner_id.tz or self.env.user.tz or 'UTC'
        return format_datetime(self.env, deadline, tz=tz, dt_format='medium')

    def _promise_to_pay(self):
        """Record the promise and reconnect (``action_reconnect`` queues the router job).

        Raises ``UserError`` with the customer's reason when they may not.
        """
        self.ensure_one()
        if refusal := self._promise_refusal():
            raise UserError(refusal)
        invoice = self._promise_invoice()
        now = fields.Datetime.now()
        promise = self.env['isp.payment.promise'].create({
            'company_id': self.company_id.id,
            'subscription_id': self.id,
            'partner_id': self.partner_id.commercial_partner_id.id,
            'invoice_id': invoice.id,
            'promised_at': now,
            'promised_until': self._promise_deadline(now),
        })
        self.action_reconnect()
        self.message_post(subtype_xmlid='mail.mt_note', body=self.env._(
            "Reconnected on the customer's promise to pay invoice %(invoice)s by %(date)s.",
            invoice=invoice.name, date=self._promise_deadline_text(promise.promised_until)))
        return promise

    def _suspend_for_broken_promise(self, promises):
        """Suspend again as the non-payment cron does, naming the promise that was not kept."""
        reasons = {}
        for sub in self:
            promise = promises.filtered(lambda p: p.subscription_id == sub)[:1]
            reasons[sub.id] = self.env._(
                "non-payment, promise to pay broken: invoice %(invoice)s unpaid on %(date)s",
                invoice=promise.invoice_id.name, date=sub._promise_deadline_text(promise.promised_until))
        self._suspend_unpaid(reasons)

    # ------------------------------------------------------------------ suspension

    @api.model
    def _suspension_due_domain(self, cutoff):
        """The customer has their word's time: no cut while a promise runs."""
        return super()._suspension_due_domain(cutoff) & ~Domain('promise_ids', 'any', [('state', '=', 'active')])

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

STATES = [
    ('active', "Active"),
    ('kept', "Kept"),
    ('broken', "Broken"),
    ('cancelled', "Cancelled"),
]
PAID_STATES = ('paid', 'in_payment', 'reversed')


class IspPaymentPromise(models.Model):
    """A suspended customer's promise to pay an overdue invoice by a date, in exchange for their
    service back until then. One per invoice: a broken promise is not renewed."""
    _name = 'isp.payment.promise'
    _description = "Promise to pay"
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _order = 'promised_at desc, id desc'
    _check_company_auto = True

    name = fields.Char(compute='_compute_name', store=True)
    company_id = fields.Many2one('res.company', required=True, default=lambda self: self.env.company)
    subscription_id = fields.Many2one('isp.subscription', required=True, index=True, ondelete='cascade',
                                      check_company=True)
    partner_id = fields.Many2one('res.partner', string="Customer", required=True, index=True)
    invoice_id = fields.Many2one('account.move', string="Invoice", required=True, index=True, ondelete='restrict',
                                 check_company=True)
    invoice_payment_state = fields.Selection(related='invoice_id.payment_state', string="Invoice payment")
    amount_residual = fields.Monetary(related='invoice_id.amount_residual', string="Amount due")
    currency_id = fields.Many2one(related='invoice_id.currency_id')
    promised_at = fields.Datetime("Promised on", required=True, readonly=True, default=fields.Datetime.now)
    promised_until = fields.Datetime("Pay by", required=True, readonly=True, index=True,
                                     help="The customer keeps their service until then; unpaid by then, "
                                          "the subscription is suspended again.")
    state = fields.Selection(STATES, string="Status", default='active', required=True, readonly=True, index=True,
                             tracking=True)
    closed_at = fields.Datetime("Closed on", readonly=True)

    # The customer gets one chance per invoice; a promise the billing team cancelled does not count.
    _invoice_uniq = models.UniqueIndex(
        "(invoice_id) WHERE state != 'cancelled'",
        "A promise to pay has already been made for this invoice.")
    _until_after_start = models.Constraint(
        'CHECK(promised_until > promised_at)', "A promise must end after it was made.")

    # ------------------------------------------------------------------ computes

    @api.depends('subscription_id.name', 'invoice_id.name')
    def _compute_name(self):
        for promise in self:
            promise.name = self.env._("%(invoice)s promise (%(subscription)s)",
                                      invoice=promise.invoice_id.name or '',
                                      subscription=promise.subscription_id.name or '')

    # ------------------------------------------------------------------ actions

    def action_cancel(self):
        """Back office: withdraw an active promise; the suspension cron treats the subscription
        like any other from its next run."""
        if self.filtered(lambda p: p.state != 'active'):
            raise UserError(self.env._("Only active promises can be cancelled."))
        self.write({'state': 'cancelled', 'closed_at': fields.Datetime.now()})
        return True

    # ------------------------------------------------------------------ business

    @api.model
    def _settled_invoice_domain(self):
        return Domain('invoice_id.payment_state', 'in', PAID_STATES) | Domain('invoice_id.state', '=', 'cancel')

    def _close(self):
        """Kept when the invoice no longer has anything to pay; broken (and the subscription
        suspended again) when it is still unpaid."""
        settled = self.filtered_domain(self._settled_invoice_domain())
        broken = self - settled
        now = fields.Datetime.now()
        settled.write({'state': 'kept', 'closed_at': now})
        broken.write({'state': 'broken', 'closed_at': now})
        broken.subscription_id.filtered(lambda s: s.state == 'active')._suspend_for_broken_promise(broken)

    # ------------------------------------------------------------------ crons

    @api.model
    def _cron_close_promises(self):
        """Close the promises whose invoice got paid, and those whose time is up."""
        domain = Domain('state', '=', 'active') & (
            Domain('promised_until', '<=', fields.Datetime.now()) | self._settled_invoice_domain())
        cron = self.env['ir.cron']
        while promises := self.search(domain, limit=200, order='promised_until, id'):
            cron._commit_progress(remaining=self.search_count(domain))
            promises = promises.try_lock_for_update()
            if not promises:
                break
            promises._close()
            if cron._commit_progress(len(promises)) <= 0:
                break

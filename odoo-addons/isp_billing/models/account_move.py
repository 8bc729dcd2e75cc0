from odoo import fields, models


class AccountMove(models.Model):
    _inherit = 'account.move'

    isp_subscription_id = fields.Many2one(
        'isp.subscription', string="ISP subscription", index='btree_not_null', copy=False, readonly=True,
        ondelete='restrict')
    isp_period_start = fields.Date("Service period start", copy=False, readonly=True)
    isp_period_end = fields.Date("Service period end", copy=False, readonly=True)

    # The one guarantee that survives concurrent crons, the "Generate invoice now" button and
    # crashed runs: the database itself refuses a second live invoice for a period.
    _isp_period_uniq = models.UniqueIndex(
        "(isp_subscription_id, isp_period_start) WHERE isp_subscription_id IS NOT NULL "
        "AND move_type = 'out_invoice' AND state != 'cancel'",
        "This subscription already has an invoice for this service period.")
    _isp_overdue_idx = models.Index(
        "(isp_subscription_id, invoice_date_due) WHERE isp_subscription_id IS NOT NULL AND state = 'posted' "
        "AND payment_state IN ('not_paid', 'partial')")

    def _reverse_moves(self, default_values_list=None, cancel=False):
        # A credit note stays with the subscription its invoice billed: the customer's balance and
        # the portal's invoice list count it.
        default_values_list = default_values_list or [{} for _move in self]
        for move, default_values in zip(self, default_values_list):
            if move.isp_subscription_id:
                default_values.setdefault('isp_subscription_id', move.isp_subscription_id.id)
        return super()._reverse_moves(default_values_list, cancel)

    def _get_next_sequence_format(self):
        # Odoo looks the journal's last number up again for every move it posts, with a query
        # that slows down as the journal grows. A batch of recurring invoices (same journal, same
        # date) continues one sequence: look it up once and let Odoo's per-transaction sequence
        # cache hand out the following numbers. The entry lives in that very cache, so it goes
        # whenever Odoo drops it (commit, rollback, a renamed entry). Self-billing journals number
        # per partner and keep Odoo's lookup, as do entries other than customer invoices.
        if (not self.env.context.get('isp_billing_batch_numbering') or not self.is_sale_document()
                or self.journal_id.is_self_billing):
            return super()._get_next_sequence_format()
        cache = self._get_sequence_cache()
        key = ('isp_billing.next_sequence_format', self.journal_id.id, self.date, self.move_type)
        if key not in cache:
            cache[key] = super()._get_next_sequence_format()
        format_string, format_values = cache[key]
        # _locked_increment pops 'seq' from the values it gets.
        return format_string, dict(format_values)

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        subscriptions = self.filtered(lambda m: m.move_type == 'out_invoice').isp_subscription_id
        if subscriptions:
            # The payer (an accountant, a portal flow) need not have ISP rights; the rules that
            # decide the reconnection live in the subscription.
            subscriptions.sudo()._reconnect_if_settled()
        return res

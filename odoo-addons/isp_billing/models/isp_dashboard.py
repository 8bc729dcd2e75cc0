from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

# (field prefix, first day overdue, last day overdue or None)
AGING_BUCKETS = [('aging_0_30', 1, 30), ('aging_31_60', 31, 60), ('aging_60_plus', 61, None)]


class IspDashboard(models.Model):
    _inherit = 'isp.dashboard'

    overdue_amount = fields.Monetary("Overdue amount", compute='_compute_kpis', currency_field='currency_id')
    overdue_invoice_count = fields.Integer("Overdue invoices", compute='_compute_kpis')
    aging_0_30_amount = fields.Monetary("Overdue 0-30 days", compute='_compute_kpis', currency_field='currency_id')
    aging_0_30_count = fields.Integer("Invoices overdue 0-30 days", compute='_compute_kpis')
    aging_31_60_amount = fields.Monetary("Overdue 31-60 days", compute='_compute_kpis', currency_field='currency_id')
    aging_31_60_count = fields.Integer("Invoices overdue 31-60 days", compute='_compute_kpis')
    aging_60_plus_amount = fields.Monetary("Overdue over 60 days", compute='_compute_kpis',
                                           currency_field='currency_id')
    aging_60_plus_count = fields.Integer("Invoices overdue over 60 days", compute='_compute_kpis')
    transfer_review_count = fields.Integer("Transfers to review", compute='_compute_kpis')

    @api.model
    def _kpi_values(self):
        values = super()._kpi_values()
        # Aggregates only: staff without accounting rights (NOC, field) still see the figures;
        # the lists behind the tiles keep their own access rules.
        moves = self.env['account.move'].sudo()
        values['overdue_amount'] = values['overdue_invoice_count'] = 0
        for prefix, first, last in AGING_BUCKETS:
            [(count, amount)] = moves._read_group(
                self._aging_invoice_domain(first, last), [], ['__count', 'amount_residual_signed:sum'])
            values[f'{prefix}_count'] = count
            values[f'{prefix}_amount'] = amount or 0.0
            values['overdue_invoice_count'] += count
            values['overdue_amount'] += amount or 0.0
        values['transfer_review_count'] = self.env['isp.bank.transfer.payment'].sudo().search_count(
            [('state', 'in', ('review', 'approved'))])
        return values

    @api.model
    def _kpi_mrr(self):
        """Recurring revenue invoiced for the service periods running today (untaxed)."""
        [(total,)] = self.env['account.move'].sudo()._read_group(
            self._mrr_invoice_domain(), [], ['amount_untaxed_signed:sum'])
        return total or 0.0

    @api.model
    def _kpi_overdue_count(self):
        # Invoices are read as superuser (staff without accounting rights see the figure); the
        # subscriptions are counted as the user, so sector restrictions still apply.
        groups = self.env['account.move'].sudo()._read_group(
            self._overdue_invoice_domain(), ['isp_subscription_id'], [])
        return self.env['isp.subscription'].search_count(
            [('id', 'in', [subscription.id for (subscription,) in groups])])

    @api.model
    def _overdue_subscription_domain(self):
        return [('invoice_ids', 'any', list(self._overdue_invoice_domain()))]

    # ------------------------------------------------------------------ domains

    @api.model
    def _isp_invoice_domain(self):
        return Domain([
            ('isp_subscription_id', '!=', False),
            ('move_type', '=', 'out_invoice'),
            ('state', '=', 'posted'),
            ('company_id', 'in', self.env.companies.ids),
        ])

    @api.model
    def _overdue_invoice_domain(self):
        return self._isp_invoice_domain() & Domain([
            ('payment_state', 'in', ('not_paid', 'partial')),
            ('invoice_date_due', '<', fields.Date.to_string(fields.Date.context_today(self))),
        ])

    @api.model
    def _aging_invoice_domain(self, first, last):
        today = fields.Date.context_today(self)
        domain = self._overdue_invoice_domain() & Domain(
            'invoice_date_due', '<=', fields.Date.to_string(today - timedelta(days=first)))
        if last is not None:
            domain &= Domain('invoice_date_due', '>=', fields.Date.to_string(today - timedelta(days=last)))
        return domain

    @api.model
    def _mrr_invoice_domain(self):
        today = fields.Date.to_string(fields.Date.context_today(self))
        return self._isp_invoice_domain() & Domain([('isp_period_start', '<=', today), ('isp_period_end', '>=', today)])

    # ------------------------------------------------------------------ drill-down

    def _open_invoices(self, domain, name, views=None, context=None):
        return self._open('account.action_move_out_invoice_type', list(domain), name, views=views,
                          context=dict(context or {}, create=False))

    def action_open_overdue_invoices(self):
        return self._open_invoices(self._overdue_invoice_domain(), self.env._("Overdue invoices"))

    def action_open_aging_0_30(self):
        return self._open_invoices(self._aging_invoice_domain(1, 30), self.env._("Overdue 0-30 days"))

    def action_open_aging_31_60(self):
        return self._open_invoices(self._aging_invoice_domain(31, 60), self.env._("Overdue 31-60 days"))

    def action_open_aging_60_plus(self):
        return self._open_invoices(self._aging_invoice_domain(61, None), self.env._("Overdue over 60 days"))

    def action_open_mrr(self):
        return self._open_invoices(
            self._mrr_invoice_domain(), self.env._("MRR: invoices of the current periods"),
            views=['list', 'pivot', 'form'],
            context={'pivot_measures': ['amount_untaxed_signed'], 'pivot_row_groupby': ['partner_id']})

    def action_open_transfers_review(self):
        return self._open('isp_billing.isp_bank_transfer_payment_action', [('state', 'in', ('review', 'approved'))],
                          self.env._("Bank transfers to review"))

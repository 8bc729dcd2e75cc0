from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import format_amount

# (tile key, first day overdue, last day overdue or None)
AGING_BUCKETS = [('aging_0_30', 1, 30), ('aging_31_60', 31, 60), ('aging_60_plus', 61, None)]


class IspDashboard(models.AbstractModel):
    _inherit = 'isp.dashboard'

    @api.model
    def _dashboard_sections(self):
        sections = super()._dashboard_sections()
        # Right after the subscriptions, wherever isp_core puts them.
        keys = [section['key'] for section in sections]
        sections.insert(keys.index('subscriptions') + 1, {'key': 'billing', 'title': self.env._("Billing")})
        return sections

    @api.model
    def _dashboard_tile_specs(self):
        _ = self.env._
        return super()._dashboard_tile_specs() + [
            {'key': 'overdue_invoices', 'section': 'billing', 'label': _("Overdue"), 'icon': 'fa-file-text-o',
             'kind': 'monetary', 'tone': 'danger'},
            {'key': 'aging_0_30', 'section': 'billing', 'label': _("0-30 days"), 'icon': 'fa-hourglass-start',
             'kind': 'monetary', 'tone': 'warning'},
            {'key': 'aging_31_60', 'section': 'billing', 'label': _("31-60 days"), 'icon': 'fa-hourglass-half',
             'kind': 'monetary', 'tone': 'warning'},
            {'key': 'aging_60_plus', 'section': 'billing', 'label': _("Over 60 days"), 'icon': 'fa-hourglass-end',
             'kind': 'monetary', 'tone': 'danger'},
            {'key': 'transfers_review', 'section': 'billing', 'label': _("Transfers to review"), 'icon': 'fa-bank',
             'kind': 'integer', 'tone': 'warning'},
        ]

    @api.model
    def _kpi_values(self):
        """Billing figures: an amount with the invoice count as the tile's detail."""
        values = super()._kpi_values()
        # Aggregates only: staff without accounting rights (NOC, field) still see the figures;
        # the lists behind the tiles keep their own access rules.
        moves = self.env['account.move'].sudo()
        total_count = total_amount = 0
        for key, first, last in AGING_BUCKETS:
            [(count, amount)] = moves._read_group(
                self._aging_invoice_domain(first, last), [], ['__count', 'amount_residual_signed:sum'])
            values[key] = (amount or 0.0, self._invoice_count_text(count))
            total_count += count
            total_amount += amount or 0.0
        values['overdue_invoices'] = (total_amount, self._invoice_count_text(total_count))
        values['transfers_review'] = self.env['isp.bank.transfer.payment'].sudo().search_count(
            [('state', 'in', ('review', 'approved'))])
        contracted = format_amount(self.env, self._kpi_contracted_mrr(), self.env.company.currency_id)
        values['mrr'] = (values['mrr'], self.env._("contracted: %(amount)s", amount=contracted))
        return values

    @api.model
    def _invoice_count_text(self, count):
        return self.env._("%(count)s invoice(s)", count=count)

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

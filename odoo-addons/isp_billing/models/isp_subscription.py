import logging
from collections import defaultdict
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_date

from odoo.addons.isp_billing.tools.billing_period import clamp_day, period_for, suspension_cutoff

_logger = logging.getLogger(__name__)

UNPAID_STATES = ('not_paid', 'partial')
DEFAULT_BATCH_SIZE = 500
# Cron writes on thousands of records: the invoice is the trace, not a chatter line per change.
BULK_CONTEXT = {'tracking_disable': True, 'mail_create_nolog': True, 'mail_create_nosubscribe': True}


class IspSubscription(models.Model):
    _inherit = 'isp.subscription'

    company_id = fields.Many2one(
        'res.company', required=True, index=True, default=lambda self: self.env.company,
        help="Company that invoices this subscription.")
    invoice_ids = fields.One2many('account.move', 'isp_subscription_id', string="Invoices")
    invoice_count = fields.Integer("Invoices", compute='_compute_invoice_count')
    manual_suspension_only = fields.Boolean(
        "Manual suspension only", tracking=True,
        help="Never suspended automatically for non-payment (e.g. institutions, VIP).")
    suspended_for_nonpayment = fields.Boolean(
        "Suspended for non-payment", readonly=True, copy=False,
        help="Suspended by the non-payment cron: reconnected automatically once the overdue invoices are paid.")
    map_status = fields.Selection(selection_add=[('overdue', "Overdue"), ('suspended',)])

    # ------------------------------------------------------------------ computes

    def _compute_invoice_count(self):
        counts = dict(self.env['account.move']._read_group(
            [('isp_subscription_id', 'in', self.ids), ('move_type', '=', 'out_invoice')],
            ['isp_subscription_id'], ['__count']))
        for sub in self:
            sub.invoice_count = counts.get(sub, 0)

    def _compute_map_status(self):
        super()._compute_map_status()
        active = self.filtered(lambda sub: sub.map_status == 'active')
        overdue = active._map_overdue_ids(active.ids)
        for sub in active:
            if sub.id in overdue:
                sub.map_status = 'overdue'

    def _search_map_status(self, operator, value):
        domain = super()._search_map_status(operator, value)
        # NotImplemented: Odoo derives the other operators from 'in' (see isp_core's search).
        if domain is NotImplemented or not {'active', 'overdue'} & set(value):
            return domain
        overdue = Domain('id', 'in', list(self._map_overdue_ids()))
        active = Domain('state', '=', 'active')
        # super() counted every active subscription as 'active': split them by overdue invoices.
        domain = Domain(domain) & ~active
        if 'active' in value:
            domain |= active & ~overdue
        if 'overdue' in value:
            domain |= active & overdue
        return domain

    # ------------------------------------------------------------------ actions

    def action_generate_invoice(self):
        """Back-office button: invoice the next period now, even ahead of its date."""
        for sub in self:
            if sub.state not in ('active', 'suspended'):
                raise UserError(self.env._(
                    "Subscription %s is not active or suspended: there is no service period to invoice.", sub.name))
            if not sub.next_invoice_date:
                raise UserError(self.env._("Subscription %s has no next invoice date.", sub.name))
            if not sub.partner_id:
                raise UserError(self.env._("Subscription %s has no customer to invoice.", sub.name))
        moves = self._create_period_invoices(fields.Date.context_today(self))
        if len(moves) == 1:
            return {
                'type': 'ir.actions.act_window',
                'res_model': 'account.move',
                'res_id': moves.id,
                'views': [(False, 'form')],
            }
        return self.action_view_invoices()

    def action_view_invoices(self):
        action = self.env['ir.actions.act_window']._for_xml_id('account.action_move_out_invoice_type')
        action['domain'] = [('isp_subscription_id', 'in', self.ids), ('move_type', '=', 'out_invoice')]
        action['context'] = {'default_move_type': 'out_invoice', 'create': False}
        return action

    def action_reconnect(self):
        res = super().action_reconnect()
        self.write({'suspended_for_nonpayment': False})
        return res

    # ------------------------------------------------------------------ invoicing

    @api.model
    def _billing_param(self, key, default):
        return self.env['ir.config_parameter'].sudo().get_param(f'isp_billing.{key}', default)

    @api.model
    def _invoice_due_domain(self, today):
        states = ['active']
        if self._billing_param('invoice_suspended', '1') == '1':
            states.append('suspended')
        return Domain([
            ('state', 'in', states),
            ('next_invoice_date', '<=', today),
            ('partner_id', '!=', False),
        ])

    def _create_period_invoices(self, today):
        """Post one invoice for the period starting at ``next_invoice_date`` of each subscription
        and move that date to the next period. Never commits: callers decide the transaction.

        A period that already has an invoice (e.g. the date was set back by hand) is only
        skipped; the unique index on ``account.move`` stays the last line of defence.
        """
        if not self:
            return self.env['account.move']
        subs = self.with_context(**BULK_CONTEXT)
        subs.fetch(['name', 'partner_id', 'plan_id', 'company_id', 'next_invoice_date', 'billing_day'])
        invoiced = {
            (sub.id, start) for sub, start in self.env['account.move']._read_group([
                ('isp_subscription_id', 'in', subs.ids),
                ('isp_period_start', 'in', list({s.next_invoice_date for s in subs})),
                ('move_type', '=', 'out_invoice'),
                ('state', '!=', 'cancel'),
            ], ['isp_subscription_id', 'isp_period_start:day'])
        }
        vals_by_company = defaultdict(list)
        next_dates = defaultdict(list)
        journals = {}
        for sub in subs:
            start = sub.next_invoice_date
            end, days, full_days = period_for(start, sub.billing_day)
            next_dates[end + timedelta(days=1)].append(sub.id)
            if (sub.id, start) not in invoiced:
                vals = sub._period_invoice_values(today, start, end, days, full_days)
                # The journal Odoo would choose, looked up once per company and currency
                # instead of once per invoice.
                journal_key = (sub.company_id, vals['currency_id'])
                if journal_key not in journals:
                    journals[journal_key] = self.env['account.move'].with_company(sub.company_id).new({
                        'move_type': 'out_invoice', 'currency_id': vals['currency_id']}).journal_id.id
                vals['journal_id'] = journals[journal_key]
                vals_by_company[sub.company_id].append(vals)
        moves = self.env['account.move'].with_context(**BULK_CONTEXT)
        for company, vals_list in vals_by_company.items():
            moves |= moves.with_company(company).create(vals_list)
        moves.with_context(isp_billing_batch_numbering=True).action_post()
        if unposted := moves.filtered(lambda m: m.state != 'posted'):
            # action_post may stop at a confirmation wizard instead of posting.
            raise UserError(self.env._("Invoices %s could not be posted.", ", ".join(unposted.mapped('display_name'))))
        for next_date, ids in next_dates.items():
            subs.browse(ids).write({'next_invoice_date': next_date})
        return moves

    def _period_invoice_values(self, today, start, end, days, full_days):
        self.ensure_one()
        plan = self.plan_id
        period = self.env._("%(start)s to %(end)s", start=format_date(self.env, start), end=format_date(self.env, end))
        if days == full_days:
            price, label = plan.price, self.env._("%(plan)s, %(period)s", plan=plan.name, period=period)
        else:
            price = plan.currency_id.round(plan.price * days / full_days)
            label = self.env._("%(plan)s, %(period)s (prorated %(days)s/%(full)s days)",
                               plan=plan.name, period=period, days=days, full=full_days)
        return {
            'move_type': 'out_invoice',
            'partner_id': self.partner_id.id,
            'currency_id': plan.currency_id.id,
            'invoice_date': today,
            'invoice_origin': self.name,
            'isp_subscription_id': self.id,
            'isp_period_start': start,
            'isp_period_end': end,
            'invoice_line_ids': [Command.create({
                'product_id': plan.product_id.id,
                'name': label,
                'quantity': 1,
                'price_unit': price,
                'tax_ids': [Command.set(plan.tax_ids.filtered(lambda t: t.company_id == self.company_id).ids)],
            })],
        }

    def _create_period_invoices_isolated(self, today):
        """``_create_period_invoices`` for the batch, or one by one when it fails; returns the
        subscriptions that could not be invoiced (logged), so that the run goes on without them."""
        try:
            with self.env.cr.savepoint():
                self._create_period_invoices(today)
            return self.browse()
        except (UserError, ValidationError, IntegrityError):
            _logger.warning("Invoicing batch of %s subscriptions failed; retrying one by one", len(self),
                            exc_info=True)
        failed = self.browse()
        for sub in self:
            try:
                with self.env.cr.savepoint():
                    sub._create_period_invoices(today)
            except (UserError, ValidationError, IntegrityError) as error:
                _logger.error("Subscription %s (%s) could not be invoiced: %s", sub.name, sub.id, error)
                failed |= sub
        return failed

    # ------------------------------------------------------------------ map

    @api.model
    def _isp_map_groups(self, domain, lat_field, lng_field, status_field):
        groups = super()._isp_map_groups(domain, lat_field, lng_field, status_field)
        if status_field != 'map_status':
            return groups
        overdue_ids = self._map_overdue_ids()
        for group in [group for group in groups if group[0] == 'active']:
            columns = group[1:]
            late = [id_ in overdue_ids for id_ in columns[0]]
            if any(late):
                group[1:] = [[value for value, is_late in zip(column, late) if not is_late] for column in columns]
                groups.append(['overdue', *([value for value, is_late in zip(column, late) if is_late]
                                            for column in columns)])
        return groups

    @api.model
    def _map_overdue_ids(self, subscription_ids=None):
        """Ids of the subscriptions with an unpaid invoice past its due date (the dashboard's "Overdue"),
        among ``subscription_ids`` when given. Invoices are read as superuser: the map shows the colour
        to staff without accounting rights, on subscriptions they may read."""
        domain = self.env['isp.dashboard']._overdue_invoice_domain()
        if subscription_ids is not None:
            domain &= Domain('isp_subscription_id', 'in', subscription_ids)
        rows = self.env['account.move'].sudo()._read_group(domain, ['isp_subscription_id'], [])
        return {subscription.id for subscription, in rows}

    # ------------------------------------------------------------------ suspension

    @api.model
    def _suspension_cutoff(self, today):
        return suspension_cutoff(
            today,
            clamp_day(self._billing_param('suspension_day', '10'), 10),
            max(0, int(self._billing_param('grace_days', '0') or 0)),
        )

    @api.model
    def _overdue_invoice_domain(self, cutoff):
        """Unpaid invoices past their suspension point: the first suspension day after both
        their due date and the start of their service period (plus the grace days).

        The due date keeps an invoice with payment terms (or issued late in the month) from
        cutting the service before the customer had to pay; the period start keeps an invoice
        issued ahead of its period from suspending the period still running.
        """
        return Domain([
            ('move_type', '=', 'out_invoice'),
            ('state', '=', 'posted'),
            ('payment_state', 'in', UNPAID_STATES),
            ('invoice_date_due', '<', cutoff),
            ('isp_period_start', '<', cutoff),
        ])

    @api.model
    def _suspension_due_domain(self, cutoff):
        return Domain([
            ('state', '=', 'active'),
            ('manual_suspension_only', '=', False),
            ('invoice_ids', 'any', self._overdue_invoice_domain(cutoff)),
        ])

    def _suspend_for_nonpayment(self, cutoff):
        """Suspend through ``action_suspend`` (job + audit), naming the oldest overdue invoice."""
        oldest = {}
        for move in self.env['account.move'].search_fetch(
                self._overdue_invoice_domain(cutoff) & Domain('isp_subscription_id', 'in', self.ids),
                ['isp_subscription_id', 'name'], order='invoice_date_due desc, id desc'):
            oldest[move.isp_subscription_id.id] = move.name
        self._suspend_unpaid({sub.id: self.env._("non-payment, invoice %s", oldest[sub.id]) for sub in self})

    def _suspend_unpaid(self, reasons):
        """Suspend for non-payment, each subscription with its reason (``{id: text}``): flagged so
        that paying reconnects it, through ``action_suspend`` (job + audit), customers e-mailed."""
        for sub in self:
            sub.write({'suspended_for_nonpayment': True, 'suspension_reason': reasons[sub.id]})
        self.action_suspend()
        self._notify_customers('isp_billing.mail_template_subscription_suspended')

    # ------------------------------------------------------------------ reconnection

    def _reconnect_if_settled(self):
        """Reconnect the subscriptions suspended for non-payment that owe nothing overdue any more."""
        candidates = self.filtered(lambda s: s.state == 'suspended' and s.suspended_for_nonpayment)
        if not candidates:
            return self.browse()
        cutoff = self._suspension_cutoff(fields.Date.context_today(self))
        still_due = self.search(Domain('id', 'in', candidates.ids) & Domain(
            'invoice_ids', 'any', self._overdue_invoice_domain(cutoff)))
        settled = candidates - still_due
        if settled:
            settled.action_reconnect()
            settled._notify_customers('isp_billing.mail_template_subscription_reconnected')
        return settled

    # ------------------------------------------------------------------ helpers

    def _notify_customers(self, template_xmlid):
        """Queue the email (sent by the mail queue cron, never inline)."""
        recipients = self.filtered(lambda s: s.partner_id.email)
        if recipients:
            self.env.ref(template_xmlid).sudo().send_mail_batch(recipients.ids, force_send=False)

    # ------------------------------------------------------------------ crons

    @api.model
    def _cron_generate_invoices(self):
        """Invoice every due period in batches, committing after each one.

        A crash loses at most the batch in progress; since each batch moves the
        ``next_invoice_date`` of its subscriptions in the same transaction as their invoices,
        the next run picks up exactly the periods still missing.
        """
        today = fields.Date.context_today(self)
        batch_size = int(self._billing_param('invoice_batch_size', DEFAULT_BATCH_SIZE)) or DEFAULT_BATCH_SIZE
        failed_ids = []
        while True:
            domain = self._invoice_due_domain(today) & Domain('id', 'not in', failed_ids)
            subs = self.search(domain, limit=batch_size, order='id')
            if not subs:
                break
            cron = self.env['ir.cron']
            cron._commit_progress(remaining=len(subs) if len(subs) < batch_size else self.search_count(domain))
            subs = subs.try_lock_for_update()
            if not subs:
                break
            failed_ids += subs._create_period_invoices_isolated(today).ids
            if cron._commit_progress(len(subs)) <= 0:
                break

    @api.model
    def _cron_suspend_overdue(self):
        cutoff = self._suspension_cutoff(fields.Date.context_today(self))
        domain = self._suspension_due_domain(cutoff)
        self._run_batches(domain, lambda subs: subs._suspend_for_nonpayment(cutoff))

    @api.model
    def _cron_reconnect_paid(self):
        """Catch what the paid hook missed: payments reconciled later, changed settings."""
        cutoff = self._suspension_cutoff(fields.Date.context_today(self))
        domain = Domain([('state', '=', 'suspended'), ('suspended_for_nonpayment', '=', True)]) & ~Domain(
            'invoice_ids', 'any', self._overdue_invoice_domain(cutoff))
        self._run_batches(domain, lambda subs: subs._reconnect_if_settled())

    @api.model
    def _run_batches(self, domain, process):
        """Cron skeleton: ``process`` batches of records matching ``domain`` (which it must make
        stop matching), committing progress after each."""
        batch_size = int(self._billing_param('state_batch_size', 200)) or 200
        cron = self.env['ir.cron']
        while subs := self.search(domain, limit=batch_size, order='id'):
            cron._commit_progress(remaining=len(subs) if len(subs) < batch_size else self.search_count(domain))
            subs = subs.try_lock_for_update()
            if not subs:
                break
            process(subs)
            if cron._commit_progress(len(subs)) <= 0:
                break

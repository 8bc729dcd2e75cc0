from datetime import timedelta

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, formatLang

STATES = [
    ('draft', "Draft"),
    ('review', "In review"),
    ('approved', "Approved"),
    ('applied', "Applied"),
    ('rejected', "Rejected"),
]
REVIEW_HOURS = 24
ATTENTION_HOURS = 48
DEADLINE_ACTIVITY = 'isp_billing.mail_activity_type_transfer_deadline'


def duplicate_key(bank_name, reference):
    """Bank and reference as a customer may retype them: case, spaces and dashes do not matter."""
    def squash(text):
        return ''.join(ch for ch in (text or '').casefold() if ch.isalnum())
    return f"{squash(bank_name)}|{squash(reference)}"


class IspBankTransferPayment(models.Model):
    _name = 'isp.bank.transfer.payment'
    _description = "Bank transfer reported by a customer"
    _inherit = ['isp.sequence.mixin', 'mail.thread', 'mail.activity.mixin']
    _sequence_code = 'isp.bank.transfer.payment'
    _order = 'id desc'
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    company_id = fields.Many2one('res.company', required=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one('res.partner', string="Customer", required=True, index=True, tracking=True)
    subscription_id = fields.Many2one(
        'isp.subscription', index='btree_not_null', tracking=True,
        domain="[('partner_id', 'child_of', partner_id)]")
    invoice_ids = fields.Many2many(
        'account.move', string="Invoices", check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
               "('payment_state', 'in', ('not_paid', 'partial')), ('commercial_partner_id', '=', partner_id)]")
    bank_name = fields.Char("Bank", required=True, tracking=True)
    reference = fields.Char(required=True, tracking=True, help="Transfer number printed on the receipt.")
    amount = fields.Monetary(required=True, tracking=True)
    currency_id = fields.Many2one('res.currency', required=True, default=lambda self: self.env.company.currency_id)
    transfer_date = fields.Date("Transfer date", required=True, default=fields.Date.context_today, tracking=True)
    attachment_ids = fields.Many2many('ir.attachment', string="Receipts")
    state = fields.Selection(STATES, default='draft', required=True, readonly=True, index=True, tracking=True,
                             copy=False)
    submitted_at = fields.Datetime("Submitted on", readonly=True, copy=False)
    review_deadline = fields.Datetime("Review deadline", readonly=True, copy=False, index=True)
    attention_deadline = fields.Datetime("Attention deadline", readonly=True, copy=False, index=True)
    review_overdue = fields.Boolean("Review overdue", readonly=True, copy=False,
                                    help="Not reviewed within 24 hours of submission.")
    attention_overdue = fields.Boolean("Attention overdue", readonly=True, copy=False,
                                       help="Not applied within 48 hours of submission.")
    accept_partial = fields.Boolean(
        "Accept as partial payment", tracking=True,
        help="The transfer is less than the open amount of the selected invoices: register it anyway, "
             "leaving the rest open.")
    journal_id = fields.Many2one(
        'account.journal', string="Payment journal", check_company=True,
        domain="[('type', 'in', ('bank', 'cash'))]", default=lambda self: self._default_journal())
    payment_id = fields.Many2one('account.payment', readonly=True, copy=False, index='btree_not_null')
    approved_by_id = fields.Many2one('res.users', string="Approved by", readonly=True, copy=False)
    rejection_reason = fields.Text("Rejection reason", tracking=True, copy=False)
    duplicate_key = fields.Char("Duplicate key", compute='_compute_duplicate_key', store=True)

    # Two receipts for one bank transfer must never both be counted, even when submitted
    # concurrently: the database refuses the second live one.
    _duplicate_key_uniq = models.UniqueIndex(
        "(company_id, duplicate_key) WHERE state != 'rejected'",
        "This bank transfer (same bank and reference) has already been reported.")
    _amount_positive = models.Constraint('CHECK(amount > 0)', "The transferred amount must be positive.")

    # ------------------------------------------------------------------ computes / defaults

    @api.depends('bank_name', 'reference')
    def _compute_duplicate_key(self):
        for transfer in self:
            transfer.duplicate_key = duplicate_key(transfer.bank_name, transfer.reference)

    @api.model
    def _default_journal(self):
        journal_id = self.env['ir.config_parameter'].sudo().get_param('isp_billing.transfer_journal_id')
        journal = self.env['account.journal'].browse(int(journal_id)).exists() if journal_id else None
        if journal and journal.company_id == self.env.company:
            return journal
        return self.env['account.journal'].search([
            *self.env['account.journal']._check_company_domain(self.env.company),
            ('type', '=', 'bank'),
        ], limit=1)

    # ------------------------------------------------------------------ ORM

    @api.model_create_multi
    def create(self, vals_list):
        self._check_duplicate_references([
            (vals.get('company_id') or self.env.company.id, duplicate_key(vals.get('bank_name'), vals.get('reference')),
             self.browse()) for vals in vals_list if vals.get('state', 'draft') != 'rejected'])
        transfers = super().create(vals_list)
        transfers._attach_receipts()
        transfers._sync_receipts()
        return transfers

    def write(self, vals):
        if {'bank_name', 'reference', 'company_id'} & set(vals):
            self._check_duplicate_references([(
                vals.get('company_id') or t.company_id.id,
                duplicate_key(vals.get('bank_name', t.bank_name), vals.get('reference', t.reference)),
                t,
            ) for t in self if t.state != 'rejected'])
        res = super().write(vals)
        if 'attachment_ids' in vals:
            self._attach_receipts()
            self._sync_receipts()
        return res

    def unlink(self):
        if any(t.state not in ('draft', 'rejected') for t in self):
            raise UserError(self.env._("Only draft or rejected bank transfers can be deleted."))
        return super().unlink()

    def _check_duplicate_references(self, candidates):
        """Refuse a bank + reference already reported, before the unique index does it less kindly.

        ``candidates`` are ``(company_id, duplicate_key, transfer being written or empty)``.
        Checked before writing: a constraint would run after the flush, when the index has
        already answered.
        """
        seen = set()
        for company_id, key, transfer in candidates:
            other = self.sudo().search([
                ('company_id', '=', company_id), ('duplicate_key', '=', key), ('state', '!=', 'rejected'),
                ('id', 'not in', transfer.ids),
            ], limit=1)
            if other or (company_id, key) in seen:
                raise ValidationError(self.env._(
                    "This bank transfer (same bank and reference) has already been reported%s. The same transfer "
                    "cannot be counted twice.", f" ({other.name})" if other else ""))
            seen.add((company_id, key))

    def _sync_receipts(self):
        """Keep one ``isp.bank.transfer.receipt`` per distinct receipt content of each transfer.

        Their unique index refuses a receipt already counted on another transfer that is not
        rejected; the refusal is turned into a message for the customer or the billing team
        here, where they attach the receipt, instead of failing later at the flush.
        """
        receipts = self.env['isp.bank.transfer.receipt'].sudo()
        existing = receipts.search([('transfer_id', 'in', self.ids)])
        to_create, to_unlink = [], receipts
        for transfer in self:
            wanted = set(transfer.sudo().attachment_ids.mapped('checksum')) - {False, None}
            for receipt in existing.filtered(lambda r: r.transfer_id == transfer):
                if receipt.checksum in wanted:
                    wanted.remove(receipt.checksum)
                else:
                    to_unlink |= receipt
            to_create += [{'transfer_id': transfer.id, 'checksum': checksum} for checksum in sorted(wanted)]
        try:
            with self.env.cr.savepoint():
                to_unlink.unlink()
                receipts.create(to_create)
        except UniqueViolation as error:
            if error.diag.constraint_name != f'{receipts._table}_checksum_uniq':
                raise
            # Named when it is visible; one committed since this transaction began is not.
            other = receipts.search([
                ('checksum', 'in', [vals['checksum'] for vals in to_create]),
                ('state', '!=', 'rejected'),
                ('transfer_id', 'not in', self.ids),
            ], limit=1).transfer_id
            if other:
                raise ValidationError(self.env._(
                    "This receipt has already been submitted with transfer %s. Upload the receipt of this "
                    "transfer.", other.name)) from None
            raise ValidationError(receipts._sql_error_to_message(error)) from None

    def _attach_receipts(self):
        """Give receipts uploaded on their own to their transfer, so that whoever may read the
        transfer may read its receipts."""
        for transfer in self:
            transfer.attachment_ids.sudo().filtered(lambda a: not a.res_id).write(
                {'res_model': self._name, 'res_id': transfer.id})

    # ------------------------------------------------------------------ actions

    def action_submit(self):
        """draft → review: the billing team has 24 h to review and 48 h to apply."""
        self._check_state(('draft',), self.env._("submitted"))
        for transfer in self:
            if not transfer.sudo().attachment_ids:
                raise UserError(self.env._(
                    "Transfer %s: attach at least one receipt (photo or PDF of the bank transfer).", transfer.name))
        now = fields.Datetime.now()
        self.write({
            'state': 'review',
            'submitted_at': now,
            'review_deadline': now + timedelta(hours=REVIEW_HOURS),
            'attention_deadline': now + timedelta(hours=ATTENTION_HOURS),
        })
        return True

    def action_approve(self):
        """review → approved: the receipt matches a transfer received on the bank account."""
        self._check_state(('review',), self.env._("approved"))
        self.write({'state': 'approved', 'approved_by_id': self.env.uid})
        self._close_deadline_activities()
        return True

    def action_apply(self):
        """approved → applied: register the payment on the invoices with Odoo's payment wizard."""
        self._check_state(('approved',), self.env._("applied"))
        for transfer in self:
            transfer._check_applicable()
            payment = transfer._register_payment()
            transfer.write({
                'state': 'applied',
                'payment_id': payment.id,
                'review_overdue': False,
                'attention_overdue': False,
            })
        self._close_deadline_activities()
        return True

    def action_reject(self):
        """review/approved → rejected; the reason is kept and shown to the customer."""
        self._check_state(('draft', 'review', 'approved'), self.env._("rejected"))
        for transfer in self:
            if not (transfer.rejection_reason or '').strip():
                raise UserError(self.env._("Transfer %s: write the rejection reason first.", transfer.name))
        self.write({'state': 'rejected', 'review_overdue': False, 'attention_overdue': False})
        self._close_deadline_activities()
        return True

    def action_view_payment(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'account.payment',
            'res_id': self.payment_id.id,
            'views': [(False, 'form')],
        }

    # ------------------------------------------------------------------ business

    def _check_state(self, allowed, verb):
        states = dict(STATES)
        for transfer in self:
            if transfer.state not in allowed:
                raise UserError(self.env._(
                    "Transfer %(name)s cannot be %(verb)s: it is %(state)s.",
                    name=transfer.name, verb=verb, state=states[transfer.state]))

    def _open_amount(self):
        """Residual of the selected invoices in the transfer's currency."""
        self.ensure_one()
        date = self.transfer_date or fields.Date.context_today(self)
        return sum(
            inv.currency_id._convert(inv.amount_residual, self.currency_id, self.company_id, date)
            for inv in self.invoice_ids)

    def _check_applicable(self):
        self.ensure_one()
        invoices = self.invoice_ids
        if not invoices:
            raise UserError(self.env._("Transfer %s: select the invoices this transfer pays.", self.name))
        wrong = invoices.filtered(lambda inv: inv.move_type != 'out_invoice' or inv.state != 'posted'
                                  or inv.payment_state not in ('not_paid', 'partial')
                                  or inv.commercial_partner_id != self.partner_id.commercial_partner_id)
        if wrong:
            raise UserError(self.env._(
                "Transfer %(name)s: invoices %(invoices)s are not open invoices of %(partner)s.",
                name=self.name, invoices=", ".join(wrong.mapped('name')), partner=self.partner_id.display_name))
        if not self.journal_id:
            raise UserError(self.env._("Transfer %s: choose the bank journal that received it.", self.name))
        open_amount = self._open_amount()
        difference = float_compare(self.amount, open_amount, precision_rounding=self.currency_id.rounding)
        amounts = {
            'name': self.name,
            'amount': formatLang(self.env, self.amount, currency_obj=self.currency_id),
            'open': formatLang(self.env, open_amount, currency_obj=self.currency_id),
        }
        if difference > 0:
            raise UserError(self.env._(
                "Transfer %(name)s: %(amount)s is more than the %(open)s still open on the selected invoices. "
                "Select the other invoices it pays, or reject it and ask the customer.", **amounts))
        if difference < 0 and not self.accept_partial:
            raise UserError(self.env._(
                "Transfer %(name)s: %(amount)s is less than the %(open)s open on the selected invoices. Tick "
                "\"Accept as partial payment\" to register it and leave the rest open, or reject it.", **amounts))

    def _register_payment(self):
        self.ensure_one()
        wizard = self.env['account.payment.register'].with_context(
            active_model='account.move', active_ids=self.invoice_ids.ids).create({
                'journal_id': self.journal_id.id,
                'amount': self.amount,
                'currency_id': self.currency_id.id,
                'payment_date': self.transfer_date,
                'communication': f"{self.bank_name} {self.reference}",
                'group_payment': True,
                'payment_difference_handling': 'open',
            })
        payments = wizard._create_payments()
        return payments[:1]

    def _close_deadline_activities(self):
        self.activity_feedback([DEADLINE_ACTIVITY])

    @api.model
    def _billing_team(self):
        group = self.env.ref('isp_core.group_isp_billing')
        return group.sudo().all_user_ids.filtered(lambda u: u.active and not u.share)

    @api.model
    def _cron_check_deadlines(self):
        """Flag transfers left past a deadline and give the billing team something to do about it."""
        now = fields.Datetime.now()
        team = self._billing_team()
        late_review = self.search([('state', '=', 'review'), ('review_deadline', '<', now),
                                   ('review_overdue', '=', False)])
        late_review.write({'review_overdue': True})
        late_review._schedule_team_activity(team, self.env._("Review this bank transfer (over 24 h)"))
        late_apply = self.search([('state', 'in', ('review', 'approved')), ('attention_deadline', '<', now),
                                  ('attention_overdue', '=', False)])
        late_apply.write({'attention_overdue': True})
        late_apply._schedule_team_activity(team, self.env._("Bank transfer waiting over 48 h: apply or reject it"))

    def _schedule_team_activity(self, team, summary):
        today = fields.Date.context_today(self)
        for transfer in self:
            for user in team:
                transfer.activity_schedule(
                    DEADLINE_ACTIVITY, date_deadline=today, summary=summary, user_id=user.id)

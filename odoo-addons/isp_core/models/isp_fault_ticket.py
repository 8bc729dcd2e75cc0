from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

SLA_HOURS = {'urgent': 8, 'high': 24, 'normal': 48, 'low': 72}
TICKET_STATES = [
    ('new', "New"), ('in_progress', "In progress"), ('resolved', "Resolved"), ('closed', "Closed"),
    ('cancelled', "Cancelled")]
OPEN_STATES = ('new', 'in_progress')
DONE_STATES = ('resolved', 'closed')


class IspFaultTicket(models.Model):
    _name = 'isp.fault.ticket'
    _description = "Fault ticket"
    _inherit = ['isp.sequence.mixin', 'mail.thread', 'mail.activity.mixin']
    _sequence_code = 'isp.fault.ticket'
    _order = 'priority_rank, sla_deadline, id desc'

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    partner_id = fields.Many2one('res.partner', string="Customer", required=True, index=True, tracking=True)
    subscription_id = fields.Many2one('isp.subscription', index='btree_not_null', tracking=True,
                                      ondelete='set null')
    sector_id = fields.Many2one(related='subscription_id.sector_id', store=True, index='btree_not_null')
    fault_type = fields.Selection([
        ('no_service', "No service"), ('slow', "Slow connection"), ('intermittent', "Intermittent"),
        ('equipment', "Equipment"), ('other', "Other")], string="Fault type", default='no_service', required=True,
        tracking=True)
    priority = fields.Selection([('low', "Low"), ('normal', "Normal"), ('high', "High"), ('urgent', "Urgent")],
                                default='normal', required=True, tracking=True)
    priority_rank = fields.Integer("Priority rank", compute='_compute_priority_rank', store=True)
    description = fields.Text()
    state = fields.Selection(TICKET_STATES, default='new', required=True, readonly=True, tracking=True, index=True)
    user_id = fields.Many2one('res.users', string="Assigned to", tracking=True, index='btree_not_null')
    opened_at = fields.Datetime("Opened on", default=fields.Datetime.now, required=True, readonly=True)
    sla_deadline = fields.Datetime("SLA deadline", compute='_compute_sla_deadline', store=True)
    closed_at = fields.Datetime("Closed on", readonly=True, copy=False)
    is_overdue = fields.Boolean("Overdue", compute='_compute_is_overdue', search='_search_is_overdue')
    sla_status = fields.Selection(
        [('running', "Within SLA"), ('met', "SLA met"), ('breached', "SLA breached")],
        compute='_compute_sla_status', store=True, index=True, string="SLA")

    @api.depends('priority')
    def _compute_priority_rank(self):
        ranks = {'urgent': 0, 'high': 1, 'normal': 2, 'low': 3}
        for ticket in self:
            ticket.priority_rank = ranks[ticket.priority]

    @api.depends('priority', 'opened_at')
    def _compute_sla_deadline(self):
        for ticket in self:
            ticket.sla_deadline = ticket.opened_at + timedelta(hours=SLA_HOURS[ticket.priority])

    @api.depends('sla_deadline', 'closed_at', 'state')
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.is_overdue = ticket.state in OPEN_STATES and ticket.sla_deadline < now

    def _search_is_overdue(self, operator, value):
        # Odoo 19 rewrites boolean conditions to ('in', [True]) / ('in', [False]) before calling us;
        # NotImplemented is its protocol for "derive other operators" ('not in' as the negation of 'in').
        if operator != 'in':
            return NotImplemented
        overdue = Domain('state', 'in', OPEN_STATES) & Domain('sla_deadline', '<', fields.Datetime.now())
        wanted = set(value)
        if wanted >= {True, False}:
            return Domain.TRUE
        return overdue if True in wanted else ~overdue

    @api.depends('sla_deadline', 'closed_at')
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for ticket in self:
            if ticket.closed_at:
                ticket.sla_status = 'met' if ticket.closed_at <= ticket.sla_deadline else 'breached'
            else:
                ticket.sla_status = 'breached' if ticket.sla_deadline < now else 'running'

    @api.model_create_multi
    def create(self, vals_list):
        subs = self.env['isp.subscription']
        for vals in vals_list:
            if vals.get('subscription_id') and not vals.get('partner_id'):
                vals['partner_id'] = subs.browse(vals['subscription_id']).partner_id.id
        return super().create(vals_list)

    # ------------------------------------------------------------------ actions

    def action_start(self):
        self._set_state(('new',), 'in_progress', self.env._("started"))
        for ticket in self.filtered(lambda t: not t.user_id):
            ticket.user_id = self.env.user
        return True

    def action_resolve(self):
        self._set_state(OPEN_STATES, 'resolved', self.env._("resolved"))
        return True

    def action_close(self):
        self._set_state(OPEN_STATES + ('resolved',), 'closed', self.env._("closed"))
        return True

    def action_cancel(self):
        self._set_state(OPEN_STATES, 'cancelled', self.env._("cancelled"))
        return True

    def action_reopen(self):
        self._set_state(DONE_STATES + ('cancelled',), 'in_progress', self.env._("reopened"))
        return True

    def _set_state(self, allowed, new_state, verb):
        labels = dict(TICKET_STATES)
        for ticket in self:
            if ticket.state not in allowed:
                raise UserError(self.env._(
                    "Ticket %(ticket)s cannot be %(verb)s: it is %(state)s.",
                    ticket=ticket.name, verb=verb, state=labels[ticket.state]))
        vals = {'state': new_state}
        if new_state in DONE_STATES:
            self.filtered(lambda t: not t.closed_at).write({'closed_at': fields.Datetime.now()})
        elif new_state in OPEN_STATES:
            vals['closed_at'] = False
        self.write(vals)

    # ------------------------------------------------------------------ crons

    @api.model
    def _cron_flag_breached(self):
        """Stored SLA status only moves on writes; open tickets past their deadline move here."""
        self.search([('sla_status', '=', 'running'), ('sla_deadline', '<', fields.Datetime.now())]).write(
            {'sla_status': 'breached'})
        return True

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

REQUEST_STATES = [
    ('requested', "Requested"), ('approved', "Approved"), ('rejected', "Rejected"), ('applied', "Applied")]


class IspPlanChangeRequest(models.Model):
    _name = 'isp.plan.change.request'
    _description = "Plan change request"
    _inherit = ['isp.sequence.mixin', 'mail.thread', 'mail.activity.mixin']
    _sequence_code = 'isp.plan.change.request'
    _order = 'id desc'

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    subscription_id = fields.Many2one('isp.subscription', required=True, index=True, ondelete='cascade',
                                      tracking=True)
    partner_id = fields.Many2one(related='subscription_id.partner_id', store=True, index='btree_not_null')
    sector_id = fields.Many2one(related='subscription_id.sector_id', store=True, index='btree_not_null')
    current_plan_id = fields.Many2one('isp.service_plan', string="Current plan", readonly=True, ondelete='restrict')
    requested_plan_id = fields.Many2one('isp.service_plan', string="Requested plan", required=True,
                                        ondelete='restrict', tracking=True)
    state = fields.Selection(REQUEST_STATES, default='requested', required=True, readonly=True, tracking=True,
                             index=True)
    effective_date = fields.Date("Effective date", tracking=True,
                                 help="When the new plan applies; by default the next billing period.")
    approved_by = fields.Many2one('res.users', string="Approved by", readonly=True, tracking=True)
    rejection_reason = fields.Text("Rejection reason", tracking=True)
    applied_at = fields.Datetime("Applied on", readonly=True)

    _open_request_uniq = models.UniqueIndex(
        "(subscription_id) WHERE state IN ('requested', 'approved')",
        "This subscription already has an open plan change request.")

    @api.constrains('requested_plan_id', 'subscription_id')
    def _check_plans(self):
        for request in self:
            if request.state == 'requested' and request.requested_plan_id == request.subscription_id.plan_id:
                raise ValidationError(self.env._(
                    "Subscription %s already has plan %s.", request.subscription_id.name,
                    request.requested_plan_id.name))
            if request.subscription_id.state == 'terminated' and request.state == 'requested':
                raise ValidationError(self.env._(
                    "Subscription %s is terminated: its plan cannot change.", request.subscription_id.name))

    @api.model_create_multi
    def create(self, vals_list):
        subs = self.env['isp.subscription']
        for vals in vals_list:
            if vals.get('subscription_id') and not vals.get('current_plan_id'):
                vals['current_plan_id'] = subs.browse(vals['subscription_id']).plan_id.id
        return super().create(vals_list)

    # ------------------------------------------------------------------ actions

    def action_approve(self, immediate=False):
        """requested → approved; applies at once when ``immediate`` or the date is due. Returns True."""
        self._check_state('requested', self.env._("approved"))
        today = fields.Date.context_today(self)
        for request in self:
            effective = today if immediate else (request.effective_date or request._next_billing_date())
            request.write({'state': 'approved', 'approved_by': self.env.uid, 'effective_date': effective})
        self.filtered(lambda r: r.effective_date <= today)._apply()
        return True

    def action_approve_immediate(self):
        return self.action_approve(immediate=True)

    def action_reject(self, reason=None):
        """requested/approved → rejected; a reason is mandatory. Returns True."""
        self._check_state(('requested', 'approved'), self.env._("rejected"))
        for request in self:
            text = reason or request.rejection_reason
            if not text or not text.strip():
                raise UserError(self.env._("Give a reason to reject plan change request %s.", request.name))
            request.write({'state': 'rejected', 'rejection_reason': text.strip()})
        return True

    def action_apply(self):
        """approved → applied now, whatever the effective date. Returns True."""
        self._check_state('approved', self.env._("applied"))
        self._apply()
        return True

    # ------------------------------------------------------------------ business

    def _check_state(self, allowed, verb):
        allowed = (allowed,) if isinstance(allowed, str) else allowed
        labels = dict(REQUEST_STATES)
        for request in self:
            if request.state not in allowed:
                raise UserError(self.env._(
                    "Plan change request %(req)s cannot be %(verb)s: it is %(state)s.",
                    req=request.name, verb=verb, state=labels[request.state]))

    def _next_billing_date(self):
        """The start of the next billing period of the subscription."""
        self.ensure_one()
        sub = self.subscription_id
        today = fields.Date.context_today(self)
        if sub.next_invoice_date and sub.next_invoice_date > today:
            return sub.next_invoice_date
        day = sub.billing_day or 1
        candidate = today + relativedelta(day=day)
        return candidate if candidate > today else today + relativedelta(months=1, day=day)

    def _apply(self):
        for request in self:
            # Writing the plan on a live subscription queues its change_plan job.
            request.subscription_id.sudo().plan_id = request.requested_plan_id
            request.write({'state': 'applied', 'applied_at': fields.Datetime.now()})

    @api.model
    def _cron_apply_due_requests(self):
        due = self.search([('state', '=', 'approved'), ('effective_date', '<=', fields.Date.context_today(self))])
        due._apply()
        return True

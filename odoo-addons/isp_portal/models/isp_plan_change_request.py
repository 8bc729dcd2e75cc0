from markupsafe import Markup

from odoo import fields, models
from odoo.tools import format_date

# What the customer is told when their request reaches one of these states.
NOTIFIED_STATES = ('approved', 'rejected', 'applied')


class IspPlanChangeRequest(models.Model):
    _name = 'isp.plan.change.request'
    _inherit = ['isp.plan.change.request', 'portal.mixin']

    # Where the network stands is the ISP's business: hidden from customers, over RPC too.
    sector_id = fields.Many2one(groups='base.group_user')

    def _compute_access_url(self):
        super()._compute_access_url()
        for change in self:
            change.access_url = f'/my/isp/plan/requests/{change.id}'

    def write(self, vals):
        before = {change.id: change.state for change in self} if 'state' in vals else {}
        res = super().write(vals)
        if before:
            moved = self.filtered(lambda c: c.state != before[c.id] and c.state in NOTIFIED_STATES)
            moved._notify_customer()
        return res

    # ------------------------------------------------------------------ business

    def _expected_effective_date(self):
        """The date shown to the customer: the one set at approval, else the next billing period."""
        self.ensure_one()
        return self.effective_date or self._next_billing_date()

    def _portal_state_text(self):
        """The state as a sentence for the customer's page."""
        self.ensure_one()
        texts = {
            'requested': self.env._("We received your request. Our team will review it shortly."),
            'approved': self.env._("Your request is approved: the new plan starts on the effective date."),
            'rejected': self.env._("Your request was not approved."),
            'applied': self.env._("Your new plan is active."),
        }
        return texts[self.state]

    def _notify_customer(self):
        """E-mail the customer and leave the message in the portal chatter of each request.

        Posted as a comment to the partner (not a note), so that it is mailed to them whatever
        their following, and shown on their portal page.
        """
        for change in self.sudo():
            partner = change.partner_id
            change = change.with_context(lang=partner.lang or change.env.lang)
            body = change._notification_body()
            change.message_post(
                body=body, partner_ids=partner.ids, message_type='comment', subtype_xmlid='mail.mt_comment')

    def _notification_body(self):
        self.ensure_one()
        _ = self.env._
        date = format_date(self.env, self.effective_date) if self.effective_date else ''
        if self.state == 'approved':
            text = _("Your request to change to plan %(plan)s is approved. It takes effect on %(date)s.",
                     plan=self.requested_plan_id.name, date=date)
        elif self.state == 'rejected':
            text = _("Your request to change to plan %(plan)s was not approved. Reason: %(reason)s",
                     plan=self.requested_plan_id.name, reason=self.rejection_reason or '')
        else:
            text = _("Your plan is now %(plan)s.", plan=self.requested_plan_id.name)
        return Markup('<p>%s</p>') % text

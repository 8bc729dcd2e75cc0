import logging

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)

# The back-office groups that may invite a customer to the portal.
STAFF_GROUPS = ('isp_core.group_isp_noc', 'isp_core.group_isp_support', 'isp_core.group_isp_billing')
AUTO_GRANT_PARAM = 'isp_portal.auto_grant_portal'


class IspSubscription(models.Model):
    _inherit = 'isp.subscription'

    portal_user_ok = fields.Boolean(
        "Portal access", compute='_compute_portal_user_ok', groups='base.group_user',
        help="The customer who receives this subscription's invoices can log in to the customer portal.")

    # Back-office details a customer has no use for: hidden from portal users, also over the
    # external API (templates read them as superuser after the ownership check when needed).
    device_id = fields.Many2one(groups='base.group_user')
    sector_id = fields.Many2one(groups='base.group_user')
    onu_id = fields.Many2one(groups='base.group_user')
    job_ids = fields.One2many(groups='base.group_user')
    job_count = fields.Integer(groups='base.group_user')
    mac_profile_ids = fields.One2many(groups='base.group_user')
    onu_assignment_ids = fields.One2many(groups='base.group_user')
    manual_suspension_only = fields.Boolean(groups='base.group_user')

    # ------------------------------------------------------------------ computes

    @api.depends('partner_id')
    def _compute_portal_user_ok(self):
        partners = self.partner_id
        users = self.env['res.users'].sudo().search_fetch([('partner_id', 'in', partners.ids)], ['partner_id'])
        with_access = set(users.partner_id.ids)
        for sub in self:
            sub.portal_user_ok = sub.partner_id.id in with_access

    # ------------------------------------------------------------------ lifecycle

    def action_activate(self):
        res = super().action_activate()
        if self.env['ir.config_parameter'].sudo().get_param(AUTO_GRANT_PARAM) in ('1', 'True'):
            self._auto_grant_portal_access()
        return res

    # ------------------------------------------------------------------ actions

    def action_grant_portal_access(self):
        """Give the customer of each subscription a portal user and mail the invitation.

        The customer is the subscription's partner, the one its invoices are addressed to (so
        that Odoo's own invoice pages, "pay all overdue invoices" included, are theirs). A
        partner who already has a user (portal or internal) is left as is: calling this again is
        harmless. Returns a notification for the back office (never None: callable over RPC).
        """
        self._check_portal_granter()
        partners = self._portal_partners()
        if missing := partners.filtered(lambda p: not p.email):
            raise UserError(self.env._(
                "%s has no e-mail address: add one to the customer before giving portal access.",
                ", ".join(missing.mapped('display_name'))))
        invited = self._grant_portal_partners(partners)
        if invited:
            message = self.env._("Portal invitation sent to %s.", ", ".join(invited.mapped('display_name')))
        else:
            message = self.env._("The customer already has access to the portal.")
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {'message': message, 'type': 'success', 'sticky': False,
                       'next': {'type': 'ir.actions.act_window_close'}},
        }

    # ------------------------------------------------------------------ business

    def _check_portal_granter(self):
        if self.env.su:
            return
        if not any(self.env.user.has_group(group) for group in STAFF_GROUPS):
            raise AccessError(self.env._("Only ISP staff can give customers access to the portal."))
        self.check_access('read')

    def _portal_partners(self):
        if not_invoiced := self.filtered(lambda s: not s.partner_id):
            raise UserError(self.env._(
                "Subscription %s has no customer to give portal access to.", ", ".join(not_invoiced.mapped('name'))))
        return self.sudo().partner_id

    @api.model
    def _grant_portal_partners(self, partners):
        """Grant portal access through Odoo's portal wizard; returns the partners invited now."""
        wizard = self.env['portal.wizard'].sudo().create({'partner_ids': [Command.set(partners.ids)]})
        invited = self.env['res.partner']
        for wizard_user in wizard.user_ids:
            if wizard_user.is_portal or wizard_user.is_internal:
                continue
            wizard_user.action_grant_access()
            invited |= wizard_user.partner_id
        return invited

    def _auto_grant_portal_access(self):
        """Setting "grant on activation": never blocks the activation; a customer who cannot be
        invited (no e-mail, e-mail already used by another user) gets a note in the chatter."""
        for partner in self.sudo().partner_id:
            subs = self.filtered(lambda s, p=partner: s.partner_id == p)
            if not partner.email:
                subs._note_portal_refused(self.env._("the customer has no e-mail address"))
                continue
            try:
                with self.env.cr.savepoint():
                    self._grant_portal_partners(partner)
            except UserError as error:
                _logger.info("Portal access for %s not granted on activation: %s", partner.display_name, error)
                subs._note_portal_refused(str(error))

    def _note_portal_refused(self, why):
        for sub in self:
            sub.message_post(body=self.env._("No portal access was given on activation: %s.", why),
                             subtype_xmlid='mail.mt_note')

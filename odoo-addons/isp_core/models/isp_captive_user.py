import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.isp_core.tools.network import normalize_mac

CAPTIVE_STATES = [
    ('pending', "Pending"), ('active', "Active"), ('disabled', "Disabled"), ('removed', "Removed")]
VOUCHER_STATES = [('unused', "Unused"), ('in_use', "In use"), ('used_up', "Used up"), ('expired', "Expired")]
# What the provisioner reads of a hotspot user (isp.sidecar.api.sidecar_captive_users).
SIDECAR_CAPTIVE_FIELDS = ['name', 'password', 'profile', 'mac_address', 'subscription_id', 'state',
                          'limit_uptime_hours', 'limit_bytes_mb']
# RouterOS limit-bytes-total = limit_bytes_mb × BYTES_PER_MB.
BYTES_PER_MB = 1024 * 1024


# What the router's /ip/hotspot/user holds of a user: a change to one reaches the router.
ROUTER_FIELDS = {'password', 'profile', 'mac_address', 'limit_uptime_hours', 'limit_bytes_mb'}


class IspCaptiveUser(models.Model):
    _name = 'isp.captive.user'
    _description = "Captive portal (hotspot) user"
    _order = 'id desc'

    name = fields.Char("Login", required=True, copy=False)
    password = fields.Char(copy=False, groups='isp_core.group_isp_admin')
    profile = fields.Char(default='default', required=True, help="RouterOS /ip/hotspot/user/profile name.")
    mac_address = fields.Char("MAC address", copy=False)
    subscription_id = fields.Many2one('isp.subscription', index='btree_not_null', ondelete='set null')
    device_id = fields.Many2one('isp.device', string="Router", index='btree_not_null', ondelete='set null')
    state = fields.Selection(CAPTIVE_STATES, default='pending', required=True)
    suspended_by_subscription = fields.Boolean(
        "Disabled by the suspension", readonly=True, copy=False,
        help="Disabled because its subscription was suspended: the reconnection enables it again.")
    limit_uptime_hours = fields.Integer(
        "Uptime limit (hours)", help="Total connected time allowed (RouterOS limit-uptime). 0: no limit.")
    limit_bytes_mb = fields.Integer(
        "Data limit (MB)",
        help="Total traffic allowed, in and out, in MB of 1,048,576 bytes (RouterOS limit-bytes-total). 0: no limit.")
    batch_id = fields.Many2one('isp.voucher.batch', string="Voucher batch", index='btree_not_null',
                               ondelete='restrict', readonly=True)
    job_ids = fields.One2many('isp.provisioning_job', 'captive_user_id', string="Provisioning jobs")
    session_ids = fields.One2many('isp.captive.session', 'user_id', string="Sessions")
    first_login_at = fields.Datetime(
        "First login", compute='_compute_usage', store=True, help="Start of the earliest hotspot session.")
    bytes_used = fields.Float(
        "Bytes used", compute='_compute_usage', store=True, digits=(16, 0),
        help="Traffic of all its hotspot sessions, in and out, as the router counted it.")
    uptime_used = fields.Float(
        "Uptime used (hours)", compute='_compute_usage', store=True,
        help="Connected time of all its hotspot sessions, as the router counted it.")
    limit_reached = fields.Boolean(
        "Limit reached", compute='_compute_limit_reached', store=True, help="Its uptime or data limit is used up.")
    expires_at = fields.Datetime(
        "Expires", compute='_compute_expires_at', store=True, index='btree_not_null',
        help="First login plus the validity of its voucher batch; empty before the first login or without validity.")
    voucher_state = fields.Selection(
        VOUCHER_STATES, "Voucher state", compute='_compute_voucher_state', search='_search_voucher_state',
        help="Use of a voucher: unused before its first login, expired once its validity has passed since "
             "then, used up when a limit is reached, else in use.")

    _name_device_uniq = models.Constraint(
        'UNIQUE(name, device_id)', "This captive login already exists on the router.")
    _limits_check = models.Constraint(
        'CHECK(limit_uptime_hours >= 0 AND limit_bytes_mb >= 0)', "Hotspot limits cannot be negative.")

    # ------------------------------------------------------------------ computes

    @api.depends('session_ids.started_at', 'session_ids.bytes_in', 'session_ids.bytes_out',
                 'session_ids.uptime_seconds')
    def _compute_usage(self):
        for user in self:
            sessions = user.session_ids
            starts = [start for start in sessions.mapped('started_at') if start]
            user.first_login_at = min(starts) if starts else False
            user.bytes_used = sum(s.bytes_in + s.bytes_out for s in sessions)
            user.uptime_used = sum(sessions.mapped('uptime_seconds')) / 3600.0

    @api.depends('bytes_used', 'uptime_used', 'limit_bytes_mb', 'limit_uptime_hours')
    def _compute_limit_reached(self):
        for user in self:
            user.limit_reached = bool(
                (user.limit_uptime_hours and user.uptime_used >= user.limit_uptime_hours)
                or (user.limit_bytes_mb and user.bytes_used >= user.limit_bytes_mb * BYTES_PER_MB))

    @api.depends('first_login_at', 'batch_id.validity_days')
    def _compute_expires_at(self):
        for user in self:
            days = user.batch_id.validity_days
            user.expires_at = user.first_login_at + timedelta(days=days) if user.first_login_at and days else False

    @api.depends('batch_id', 'first_login_at', 'expires_at', 'limit_reached')
    def _compute_voucher_state(self):
        now = fields.Datetime.now()
        for user in self:
            if not user.batch_id:
                user.voucher_state = False
            elif not user.first_login_at:
                user.voucher_state = 'unused'
            elif user.expires_at and user.expires_at <= now:
                user.voucher_state = 'expired'
            else:
                user.voucher_state = 'used_up' if user.limit_reached else 'in_use'

    def _search_voucher_state(self, operator, value):
        if operator != 'in':
            return NotImplemented
        now = fields.Datetime.now()
        expired = [('expires_at', '!=', False), ('expires_at', '<=', now)]
        live = ['&', ('first_login_at', '!=', False), '|', ('expires_at', '=', False), ('expires_at', '>', now)]
        domains = {
            'unused': [('first_login_at', '=', False)],
            'expired': expired,
            'used_up': live + [('limit_reached', '=', True)],
            'in_use': live + [('limit_reached', '=', False)],
        }
        return fields.Domain('batch_id', '!=', False) & fields.Domain.OR(
            domains[state] for state in value if state in domains)

    # ------------------------------------------------------------------ ORM

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_vals(vals)
        users = super().create(vals_list)
        # Staff may create users without seeing passwords: the router still needs one.
        # Part of the creation, not a change of what a router holds: no job of its own.
        for user in users.sudo().with_context(isp_no_router_update=True).filtered(lambda u: not u.password):
            user.password = secrets.token_urlsafe(12)
        return users

    def write(self, vals):
        self._normalize_vals(vals)
        changed = self.browse()
        if ROUTER_FIELDS.intersection(vals) and not self.env.context.get('isp_no_router_update'):
            changed = self.filtered(lambda u: u.state in ('active', 'disabled') and any(
                u[field] != vals[field] for field in ROUTER_FIELDS.intersection(vals)))
        res = super().write(vals)
        # What the router holds follows: the same user applied again, enabled or disabled as it is.
        active = changed.filtered(lambda u: u.state == 'active')
        if active:
            active._queue_jobs('captive_user_create')
        if changed - active:
            (changed - active)._queue_jobs('captive_user_disable')
        return res

    def _normalize_vals(self, vals):
        if vals.get('mac_address'):
            mac = normalize_mac(vals['mac_address'])
            if not mac:
                raise ValidationError(self.env._("%s is not a valid MAC address.", vals['mac_address']))
            vals['mac_address'] = mac

    # ------------------------------------------------------------------ provisioner (through isp.sidecar.api)

    def _read_for_sidecar(self):
        """``[{id, name, password, profile, ...}]`` as ``search_read`` gives them (run as superuser)."""
        return self.read(SIDECAR_CAPTIVE_FIELDS)

    def _set_router_state(self, state):
        """The router now holds these users (``active``), holds them disabled, or no longer holds them
        (``removed``). Returns True."""
        self.write({'state': state})
        return True

    # ------------------------------------------------------------------ actions

    def action_provision(self):
        """Queue ``captive_user_create`` for pending, disabled or removed users. Returns True."""
        if self.filtered(lambda u: u.state == 'active'):
            raise UserError(self.env._("Captive user %s is already active.", self.filtered(
                lambda u: u.state == 'active')[0].name))
        self._queue_jobs('captive_user_create')
        return True

    def action_disable(self):
        """Queue ``captive_user_disable`` and mark the users disabled. Returns True."""
        for user in self.filtered(lambda u: u.state in ('disabled', 'removed')):
            if user.state == 'removed':
                raise UserError(self.env._("Captive user %s was removed from its router.", user.name))
            raise UserError(self.env._("Captive user %s is already disabled.", user.name))
        self._queue_jobs('captive_user_disable')
        self.write({'state': 'disabled'})
        return True

    # ------------------------------------------------------------------ business methods

    def _queue_jobs(self, job_type):
        return self.env['isp.provisioning_job']._queue([{
            'job_type': job_type,
            'captive_user_id': user.id,
            'subscription_id': user.subscription_id.id,
            'device_id': user.device_id.id,
            'payload': {
                'captive_user': user.name,
                'subscription': user.subscription_id.name or False,
                'desired': {'profile': user.profile, 'mac_address': user.mac_address or False,
                            'disabled': job_type == 'captive_user_disable',
                            'removed': job_type == 'captive_user_remove',
                            'limit_uptime_hours': user.limit_uptime_hours,
                            'limit_bytes_mb': user.limit_bytes_mb},
            },
        } for user in self])

    def _disable_for_suspension(self):
        """Their subscription was suspended: disable the users the router serves or is about to serve
        (active or pending), remembering it so that the reconnection enables exactly those."""
        users = self.sudo().filtered(lambda u: u.device_id and u.state in ('active', 'pending'))
        jobs = users._queue_jobs('captive_user_disable')
        users.write({'state': 'disabled', 'suspended_by_subscription': True})
        return jobs

    def _enable_after_suspension(self):
        """Their subscription was reconnected: enable again the users its suspension disabled."""
        users = self.sudo().filtered(lambda u: u.suspended_by_subscription and u.state == 'disabled')
        jobs = users._queue_jobs('captive_user_create')
        users.write({'state': 'pending'})
        self.sudo().filtered('suspended_by_subscription').suspended_by_subscription = False
        return jobs

    def _remove_for_termination(self):
        """Their subscription was terminated: remove from the routers the users that ever reached one.
        The provisioner sets ``state = 'removed'`` once a router no longer holds the user."""
        users = self.sudo()._reached_router()
        jobs = users._queue_jobs('captive_user_remove')
        self.sudo().filtered('suspended_by_subscription').suspended_by_subscription = False
        return jobs

    def _reached_router(self):
        """The users a router holds or may hold: active or disabled there, or with a creation job that
        did not fail or get cancelled."""
        created = self.env['isp.provisioning_job'].sudo()._read_group(
            [('captive_user_id', 'in', self.ids), ('job_type', '=', 'captive_user_create'),
             ('state', 'in', ('queued', 'running', 'success'))], ['captive_user_id'])
        created_ids = {user.id for (user,) in created}
        return self.filtered(lambda u: u.device_id and u.state != 'removed' and (
            u.state in ('active', 'disabled') or u.id in created_ids))

    # ------------------------------------------------------------------ crons

    @api.model
    def _cron_disable_expired_vouchers(self):
        """Cron: queue ``captive_user_disable`` for the vouchers whose validity has passed since their
        first login and that a router still serves. Returns the jobs."""
        expired = self.sudo().search([
            ('batch_id', '!=', False), ('expires_at', '<=', fields.Datetime.now()),
            ('state', 'in', ('pending', 'active'))])
        jobs = expired._queue_jobs('captive_user_disable')
        expired.write({'state': 'disabled'})
        return jobs

import secrets

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.exceptions import UserError, ValidationError

from odoo.addons.isp_core.tools.geo import gps_problem, has_position, haversine_km, haversine_sql
from odoo.addons.isp_core.tools.network import is_valid_ipv4, normalize_mac

STATES = [('draft', "Draft"), ('active', "Active"), ('suspended', "Suspended"), ('terminated', "Terminated")]
LIVE_STATES = ('draft', 'active', 'suspended')
# The map's colours: a state, named from the field technician's side (isp_billing adds 'overdue').
MAP_STATUSES = [('to_install', "To install"), ('active', "Active"), ('suspended', "Suspended"),
                ('terminated', "Terminated")]
STATE_MAP_STATUS = {'draft': 'to_install', 'active': 'active', 'suspended': 'suspended', 'terminated': 'terminated'}
PASSWORD_GROUPS = 'isp_core.group_isp_admin'
# Fields the router holds for a subscription: changing one on a live subscription queues ``update_subscription``.
ROUTER_FIELDS = ('auth_method', 'dhcp_mode', 'service_mac', 'service_ip', 'pppoe_username', 'pppoe_password',
                 'device_id')
DEFAULT_MAX_SECTOR_DISTANCE_KM = 15.0
# Shown in the audit log instead of a password.
HIDDEN_VALUE = '********'


def generate_password(length=16):
    return secrets.token_urlsafe(length)[:length]


def _audit_values(values, device_names):
    """Changed router fields as the audit log shows them: router names, never a password."""
    values = dict(values)
    if 'pppoe_password' in values:
        values['pppoe_password'] = HIDDEN_VALUE
    if values.get('device_id'):
        values['device_id'] = device_names.get(values['device_id'], values['device_id'])
    return values


class IspSubscription(models.Model):
    _name = 'isp.subscription'
    _description = "ISP subscription"
    _inherit = ['isp.sequence.mixin', 'mail.thread', 'mail.activity.mixin']
    _sequence_code = 'isp.subscription'
    _order = 'id desc'
    _rec_names_search = ['name', 'partner_id.name', 'service_mac', 'pppoe_username']

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    partner_id = fields.Many2one('res.partner', string="Customer", index=True, tracking=True, ondelete='restrict')
    plan_id = fields.Many2one('isp.service_plan', string="Plan", required=True, index=True, tracking=True,
                              ondelete='restrict')
    sector_id = fields.Many2one('isp.sector', index=True, tracking=True, ondelete='restrict')
    device_id = fields.Many2one('isp.device', string="Router", index=True, tracking=True, ondelete='restrict')
    onu_id = fields.Many2one('isp.onu', string="ONU", index='btree_not_null', tracking=True, ondelete='restrict')
    state = fields.Selection(STATES, default='draft', required=True, readonly=True, index=True, tracking=True,
                             copy=False)
    suspension_reason = fields.Char("Suspension reason", readonly=True, copy=False, tracking=True,
                                    help="Why the subscription is suspended; cleared on reconnection.")
    auth_method = fields.Selection([('dhcp', "DHCP"), ('pppoe', "PPPoE")], string="Access method", default='dhcp',
                                   required=True, tracking=True)
    dhcp_mode = fields.Selection([('dynamic', "Dynamic"), ('static', "Static")], string="DHCP mode",
                                 default='dynamic', required=True, tracking=True)
    service_mac = fields.Char("Service MAC", copy=False, tracking=True)
    service_ip = fields.Char("Service IP", copy=False, tracking=True)
    pppoe_username = fields.Char("PPPoE username", copy=False, tracking=True)
    pppoe_password = fields.Char("PPPoE password", copy=False, groups=PASSWORD_GROUPS)
    gps_lat = fields.Float("Latitude", digits=(10, 7), tracking=True)
    gps_lng = fields.Float("Longitude", digits=(10, 7), tracking=True)
    # Not stored: they follow the setting isp_core.max_sector_distance_km, which no field can depend on.
    sector_distance_km = fields.Float(
        "Distance to sector (km)", digits=(10, 2), compute='_compute_gps_warning',
        help="Straight-line distance from the sector's position; empty when either has no position.")
    gps_far_from_sector = fields.Boolean(
        "Far from sector", compute='_compute_gps_warning', search='_search_gps_far_from_sector')
    gps_warning = fields.Char("GPS warning", compute='_compute_gps_warning')
    start_date = fields.Date("Start date", copy=False, tracking=True)
    terminated_date = fields.Date("Termination date", copy=False, readonly=True)
    next_invoice_date = fields.Date("Next invoice date", copy=False, tracking=True)
    billing_day = fields.Integer("Billing day", default=1,
                                 help="Day of the month the subscription is invoiced (1-28).")
    # Stored so that MRR and pivots aggregate in SQL over 100k subscriptions.
    currency_id = fields.Many2one(related='plan_id.currency_id', store=True)
    price = fields.Monetary(related='plan_id.price', string="Monthly price", store=True, aggregator='sum')
    job_ids = fields.One2many('isp.provisioning_job', 'subscription_id', string="Provisioning jobs")
    job_count = fields.Integer("Jobs", compute='_compute_job_count')
    map_status = fields.Selection(MAP_STATUSES, "Map status", compute='_compute_map_status',
                                  search='_search_map_status', help="The marker's colour on the map.")
    mac_profile_ids = fields.One2many('isp.mac.profile', 'subscription_id', string="MAC profiles")
    onu_assignment_ids = fields.One2many('isp.onu.assignment', 'subscription_id', string="ONU history")

    _pppoe_username_uniq = models.Constraint('UNIQUE(pppoe_username)', "This PPPoE username is already used.")
    _service_mac_uniq = models.UniqueIndex(
        "(service_mac) WHERE service_mac IS NOT NULL AND state != 'terminated'",
        "Another live subscription already uses this MAC address.")
    _onu_uniq = models.UniqueIndex(
        "(onu_id) WHERE onu_id IS NOT NULL AND state != 'terminated'",
        "This ONU already serves another subscription that is not terminated.")
    _static_ip_uniq = models.UniqueIndex(
        "(device_id, service_ip) WHERE service_ip IS NOT NULL AND state != 'terminated'",
        "This IP address is already used by another subscription on the same router.")
    _billing_day_check = models.Constraint(
        'CHECK(billing_day BETWEEN 1 AND 28)', "The billing day must be between 1 and 28.")
    _sector_state_idx = models.Index('(sector_id, state)')
    # Uniqueness lives in the database only: a Python pre-check would race with concurrent
    # transactions, and the RPC layer turns these violations into their messages.

    # ------------------------------------------------------------------ constraints

    @api.constrains('gps_lat', 'gps_lng', 'state')
    def _check_gps(self):
        for sub in self:
            error = sub._gps_error(sub.state)
            if error:
                raise ValidationError(error)

    def _gps_error(self, state):
        """Why the coordinates are unacceptable for a subscription in ``state``, or None."""
        self.ensure_one()
        problem = gps_problem(self.gps_lat, self.gps_lng, required=state in ('active', 'suspended'))
        if problem == 'lat':
            return self.env._("Subscription %(sub)s: latitude %(lat)s is outside -90..90.",
                              sub=self.name, lat=self.gps_lat)
        if problem == 'lng':
            return self.env._("Subscription %(sub)s: longitude %(lng)s is outside -180..180.",
                              sub=self.name, lng=self.gps_lng)
        if problem == 'missing':
            return self.env._(
                "Subscription %s needs valid GPS coordinates (not 0/0) before it can be active.", self.name)
        return None

    @api.constrains('device_id', 'sector_id')
    def _check_device_sector(self):
        for sub in self:
            if sub.device_id and sub.device_id.sector_id != sub.sector_id:
                raise ValidationError(self.env._(
                    "Subscription %(sub)s: router %(device)s is not in sector %(sector)s.",
                    sub=sub.name, device=sub.device_id.name, sector=sub.sector_id.display_name or "-"))

    @api.constrains('service_ip', 'dhcp_mode', 'auth_method', 'pppoe_username')
    def _check_addressing(self):
        for sub in self:
            if sub.service_ip and not is_valid_ipv4(sub.service_ip):
                raise ValidationError(self.env._("%s is not a valid IPv4 address.", sub.service_ip))
            if sub.auth_method == 'pppoe' and not sub.pppoe_username:
                raise ValidationError(self.env._("Subscription %s: a PPPoE subscription needs a username.", sub.name))

    # ------------------------------------------------------------------ computes

    def _compute_job_count(self):
        counts = dict(self.env['isp.provisioning_job']._read_group(
            [('subscription_id', 'in', self.ids)], ['subscription_id'], ['__count']))
        for sub in self:
            sub.job_count = counts.get(sub, 0)

    @api.depends('gps_lat', 'gps_lng', 'sector_id.gps_lat', 'sector_id.gps_lng')
    def _compute_gps_warning(self):
        limit = self._max_sector_distance_km()
        for sub in self:
            sector = sub.sector_id
            placed = has_position(sub.gps_lat, sub.gps_lng) and has_position(sector.gps_lat, sector.gps_lng)
            distance = haversine_km(sub.gps_lat, sub.gps_lng, sector.gps_lat, sector.gps_lng) if placed else 0.0
            sub.sector_distance_km = distance
            sub.gps_far_from_sector = bool(limit) and distance > limit
            sub.gps_warning = sub.gps_far_from_sector and self.env._(
                "This position is %(distance)s km from sector %(sector)s, more than the %(limit)s km allowed: "
                "check the coordinates.",
                distance=f"{distance:.1f}", sector=sector.display_name, limit=f"{limit:g}")

    def _search_gps_far_from_sector(self, operator, value):
        # Odoo 19 hands a boolean/selection search over as 'in'; NotImplemented lets it derive the rest.
        if operator != 'in':
            return NotImplemented
        limit = self._max_sector_distance_km()
        if not limit:
            return Domain.FALSE
        # In SQL: a NOC filters 100k subscriptions with it.
        return [('id', 'in', SQL(
            """SELECT sub.id FROM isp_subscription sub JOIN isp_sector sector ON sector.id = sub.sector_id
                WHERE (COALESCE(sub.gps_lat, 0) != 0 OR COALESCE(sub.gps_lng, 0) != 0)
                  AND (COALESCE(sector.gps_lat, 0) != 0 OR COALESCE(sector.gps_lng, 0) != 0)
                  AND %s > %s""",
            haversine_sql(SQL('sub.gps_lat'), SQL('sub.gps_lng'), SQL('sector.gps_lat'), SQL('sector.gps_lng')),
            limit))]

    @api.depends('state')
    def _compute_map_status(self):
        for sub in self:
            sub.map_status = STATE_MAP_STATUS[sub.state]

    def _search_map_status(self, operator, value):
        # Odoo 19 hands a boolean/selection search over as 'in'; NotImplemented lets it derive the rest.
        if operator != 'in':
            return NotImplemented
        return Domain('state', 'in', [state for state, status in STATE_MAP_STATUS.items() if status in value])

    @api.onchange('device_id')
    def _onchange_device_id(self):
        # A router belongs to one sector: choosing it decides the subscription's.
        if self.device_id:
            self.sector_id = self.device_id.sector_id

    @api.onchange('sector_id')
    def _onchange_sector_id(self):
        if self.device_id.sector_id != self.sector_id:
            self.device_id = False

    # ------------------------------------------------------------------ ORM

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_vals(vals)
        subs = super().create(vals_list)
        subs._ensure_pppoe_password()
        return subs

    def write(self, vals):
        self._normalize_vals(vals)
        plan_changed = self.browse()
        if 'plan_id' in vals:
            plan_changed = self.filtered(
                lambda s: s.state in ('active', 'suspended') and s.plan_id.id != vals['plan_id'])
        before = {sub.id: sub.plan_id.name for sub in plan_changed}
        changes = self._router_field_changes(vals)
        old_devices = {sub_id: change['before']['device_id'] for sub_id, change in changes.items()
                       if 'device_id' in change['before']}
        res = super().write(vals)
        if 'auth_method' in vals:
            self._ensure_pppoe_password()
        if 'onu_id' in vals:
            self._sync_onu_assignments()
        plan_jobs = self.env['isp.provisioning_job']
        if plan_changed:
            plan_jobs = plan_changed._queue_jobs('change_plan')
            plan_changed._audit('subscription.change_plan', plan_jobs, before=before)
        if changes:
            self._queue_router_update(changes, old_devices, plan_jobs)
        return res

    def _router_field_changes(self, vals):
        """``{sub id: {'before': {field: old}, 'after': {field: new}}}`` for the live (active or
        suspended) subscriptions whose router-held fields ``vals`` changes to a different value."""
        fnames = [fname for fname in ROUTER_FIELDS if fname in vals]
        if not fnames or self.env.context.get('isp_no_router_update'):
            return {}
        changes = {}
        for sub in self.sudo().filtered(lambda s: s.state in ('active', 'suspended')):
            before, after = {}, {}
            for fname in fnames:
                old = sub[fname].id if fname == 'device_id' else sub[fname]
                if (old or False) != (vals[fname] or False):
                    before[fname], after[fname] = old or False, vals[fname] or False
            if before:
                changes[sub.id] = {'before': before, 'after': after}
        return changes

    def _queue_router_update(self, changes, old_devices, plan_jobs):
        """Queue ``update_subscription`` for the changed subscriptions on their router (a plan change
        in the same write already queued ``change_plan``, which applies the whole desired state),
        and on the router a subscription left, whose objects there must go; audit each change."""
        changed = self.browse(list(changes)).filtered(lambda s: s.state in ('active', 'suspended'))
        if not changed:
            return
        moved = changed.filtered(lambda s: old_devices.get(s.id))
        jobs = moved._queue_jobs('update_subscription', devices={sub.id: old_devices[sub.id] for sub in moved})
        # A plan change in the same write already queued change_plan, which applies the whole desired state.
        planned = self.browse(plan_jobs.subscription_id.ids)
        jobs |= (changed - planned).filtered('device_id')._queue_jobs('update_subscription')
        jobs |= plan_jobs
        devices = self.env['isp.device'].sudo().browse(
            {dev_id for change in changes.values() for key in ('before', 'after')
             for dev_id in [change[key].get('device_id')] if dev_id})
        names = {device.id: device.display_name for device in devices}
        changed._audit('subscription.update', jobs,
                       before={sub_id: _audit_values(c['before'], names) for sub_id, c in changes.items()},
                       after={sub_id: _audit_values(c['after'], names) for sub_id, c in changes.items()})

    def _normalize_vals(self, vals):
        if vals.get('service_mac'):
            mac = normalize_mac(vals['service_mac'])
            if not mac:
                raise ValidationError(self.env._("%s is not a valid MAC address.", vals['service_mac']))
            vals['service_mac'] = mac
        for fname in ('service_ip', 'pppoe_username'):
            if isinstance(vals.get(fname), str):
                vals[fname] = vals[fname].strip() or False

    def _ensure_pppoe_password(self):
        # The write that switched to PPPoE queues the router update itself.
        subs = self.sudo().with_context(isp_no_router_update=True)
        for sub in subs.filtered(lambda s: s.auth_method == 'pppoe' and not s.pppoe_password):
            sub.pppoe_password = generate_password()

    # ------------------------------------------------------------------ lifecycle

    def action_activate(self):
        """draft → active; queues ``activate_subscription``. Returns True."""
        self._check_transition(('draft',), self.env._("activated"))
        self._check_ready_for_activation()
        for sub in self:
            start = sub.start_date or fields.Date.context_today(sub)
            sub.write({'state': 'active', 'start_date': start, 'next_invoice_date': sub.next_invoice_date or start})
        self._sync_onu_assignments()
        self._audit('subscription.activate', self._queue_jobs('activate_subscription'), before='draft')
        return True

    def action_suspend(self, reason=None):
        """active → suspended; queues ``suspend_subscription``. ``reason`` (e.g. "non-payment, invoice
        INV/…") is kept on the subscription, tracked in its chatter and audited. Returns True."""
        self._check_transition(('active',), self.env._("suspended"))
        if reason is not None and not (isinstance(reason, str) and reason.strip()):
            raise UserError(self.env._("A suspension reason must be a non-empty text."))
        self.write({'state': 'suspended', **({'suspension_reason': reason.strip()} if reason else {})})
        self._audit('subscription.suspend', self._queue_jobs('suspend_subscription'), before='active')
        self._captive_users()._disable_for_suspension()
        return True

    def action_open_suspend_wizard(self):
        """The back office's Suspend button: asks for the reason first."""
        action = self.env['ir.actions.act_window']._for_xml_id('isp_core.isp_subscription_suspend_action')
        action['context'] = {'active_model': self._name, 'active_ids': self.ids}
        return action

    def action_reconnect(self):
        """suspended → active; queues ``reconnect_subscription``. Returns True."""
        self._check_transition(('suspended',), self.env._("reconnected"))
        self.write({'state': 'active', 'suspension_reason': False})
        self._audit('subscription.reconnect', self._queue_jobs('reconnect_subscription'), before='suspended')
        self._captive_users()._enable_after_suspension()
        return True

    def action_terminate(self):
        """draft/active/suspended → terminated; queues ``terminate_subscription`` when the router
        may hold objects of the subscription (it was ever activated). Returns True."""
        self._check_transition(LIVE_STATES, self.env._("terminated"))
        provisioned = self.filtered('start_date')
        before = {sub.id: sub.state for sub in self}
        self.write({'state': 'terminated', 'terminated_date': fields.Date.context_today(self)})
        # The MAC, ONU and IP are free again: flush so that a new subscription may take them now.
        self.flush_recordset(['state'])
        self._sync_onu_assignments()
        jobs = provisioned._queue_jobs('terminate_subscription')
        self._audit('subscription.terminate', jobs, before=before)
        self._captive_users()._remove_for_termination()
        return True

    def action_view_jobs(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('isp_core.isp_provisioning_job_action')
        action['domain'] = [('subscription_id', '=', self.id)]
        action['context'] = {'search_default_subscription_id': self.id}
        return action

    # ------------------------------------------------------------------ business helpers

    @api.model
    def _isp_map_groups(self, domain, lat_field, lng_field, status_field):
        if status_field != 'map_status':
            return super()._isp_map_groups(domain, lat_field, lng_field, status_field)
        # map_status is not stored: group by the state it follows, one state per status.
        groups = super()._isp_map_groups(domain, lat_field, lng_field, 'state')
        for group in groups:
            group[0] = STATE_MAP_STATUS[group[0]]
        return groups

    @api.model
    def _max_sector_distance_km(self):
        """The setting ``isp_core.max_sector_distance_km``: farther from its sector a subscription is flagged;
        0 turns the check off, an unreadable value means the default."""
        value = self.env['ir.config_parameter'].sudo().get_param('isp_core.max_sector_distance_km')
        try:
            value = float(value or DEFAULT_MAX_SECTOR_DISTANCE_KM)
        except (TypeError, ValueError):
            return DEFAULT_MAX_SECTOR_DISTANCE_KM
        return value if value > 0 else 0.0

    def _check_transition(self, allowed, verb):
        states = dict(STATES)
        for sub in self:
            if sub.state not in allowed:
                raise UserError(self.env._(
                    "Subscription %(sub)s cannot be %(verb)s: it is %(state)s. Only %(allowed)s subscriptions "
                    "can be %(verb)s.", sub=sub.name, verb=verb, state=states[sub.state],
                    allowed=" / ".join(states[s] for s in allowed)))

    def _check_ready_for_activation(self):
        for sub in self:
            missing = []
            if not sub.partner_id:
                missing.append(self.env._("a customer"))
            if not sub.sector_id:
                missing.append(self.env._("a sector"))
            if not sub.device_id:
                missing.append(self.env._("a router"))
            if sub.auth_method == 'dhcp' and not sub.service_mac:
                missing.append(self.env._("the service MAC address"))
            if sub.dhcp_mode == 'static' and sub.auth_method == 'dhcp' and not sub.service_ip:
                missing.append(self.env._("a static IP address"))
            if missing:
                raise UserError(self.env._(
                    "Subscription %(sub)s cannot be activated without %(missing)s.",
                    sub=sub.name, missing=", ".join(missing)))
            gps_error = sub._gps_error('active')
            if gps_error:
                raise ValidationError(gps_error)

    @api.model
    def _provisioning_snapshot(self, subscription_ids=None, device_id=None):
        """Provisioner (``isp.sidecar.api.sidecar_subscription_snapshot``): the desired router state
        of subscriptions, with the secrets it needs.

        Either the given ``subscription_ids`` (any state: a terminated one owns nothing, so its
        objects get removed), or every live (active or suspended) subscription of router
        ``device_id`` for a full resync. ``client_address`` is where the customer is now: the
        pinned address, else the address of the latest bound lease of the service MAC.
        Returns ``[{id, name, state, device_id, auth_method, dhcp_mode, service_mac, service_ip,
        client_address, pppoe_username, pppoe_password, up_mbps, down_mbps}]``.
        """
        if subscription_ids is not None:
            domain = [('id', 'in', list(subscription_ids))]
        elif device_id:
            domain = [('device_id', '=', int(device_id)), ('state', 'in', ('active', 'suspended'))]
        else:
            raise UserError(self.env._("Give either subscription_ids or device_id."))
        subs = self.sudo().search_fetch(domain, [
            'name', 'state', 'device_id', 'auth_method', 'dhcp_mode', 'service_mac', 'service_ip',
            'pppoe_username', 'pppoe_password', 'plan_id'], order='id')
        leased = {}
        macs = [mac for mac in subs.mapped('service_mac') if mac]
        if macs:
            profiles = self.env['isp.mac.profile'].sudo().search_fetch(
                [('mac_address', 'in', macs), ('bound', '=', True), ('ip_address', '!=', False)],
                ['mac_address', 'ip_address'], order='last_seen asc, id asc')
            leased = {profile.mac_address: profile.ip_address for profile in profiles}
        return [{
            'id': sub.id,
            'name': sub.name,
            'state': sub.state,
            'device_id': sub.device_id.id,
            'auth_method': sub.auth_method,
            'dhcp_mode': sub.dhcp_mode,
            'service_mac': sub.service_mac or False,
            'service_ip': sub.service_ip or False,
            'client_address': sub.service_ip or leased.get(sub.service_mac) or False,
            'pppoe_username': sub.pppoe_username or False,
            'pppoe_password': sub.pppoe_password or False,
            'up_mbps': sub.plan_id.up_mbps,
            'down_mbps': sub.plan_id.down_mbps,
        } for sub in subs]

    def _captive_users(self):
        """The hotspot users of the subscriptions (as superuser: whoever changes a subscription's
        lifecycle changes what its hotspot users may do)."""
        return self.env['isp.captive.user'].sudo().search([('subscription_id', 'in', self.ids)])

    def _desired_state(self):
        """What the router should hold for this subscription (secrets stay in Odoo)."""
        self.ensure_one()
        return {
            'state': self.state,
            'auth_method': self.auth_method,
            'dhcp_mode': self.dhcp_mode,
            'service_mac': self.service_mac or False,
            'service_ip': self.service_ip or False,
            'pppoe_username': self.pppoe_username or False,
            'down_mbps': self.plan_id.down_mbps,
            'up_mbps': self.plan_id.up_mbps,
            'device_id': self.device_id.id,
        }

    def _queue_jobs(self, job_type, devices=None):
        """Queue one ``job_type`` job per subscription, on its router or on ``devices[sub.id]``
        (a router id) when given, and return the jobs."""
        devices = devices or {}
        return self.env['isp.provisioning_job']._queue([{
            'job_type': job_type,
            'subscription_id': sub.id,
            'device_id': devices.get(sub.id) or sub.device_id.id,
            'payload': {'subscription': sub.name, 'desired': sub._desired_state()},
        } for sub in self])

    def _audit(self, action, jobs, before=None, after=None):
        job_by_sub = {job.subscription_id.id: job for job in jobs}
        self.env['isp.audit_log']._log([{
            'action': action,
            'record': sub,
            'job': job_by_sub.get(sub.id),
            'before': before.get(sub.id) if isinstance(before, dict) else before,
            'after': (after.get(sub.id) if isinstance(after, dict) else after) if after is not None
            else sub.plan_id.name if action == 'subscription.change_plan' else sub.state,
            'result': 'queued' if sub.id in job_by_sub else 'done',
        } for sub in self])

    def _sync_onu_assignments(self):
        """Keep the ONU history in step: one open assignment per live subscription and ONU."""
        assignments = self.env['isp.onu.assignment'].sudo()
        now = fields.Datetime.now()
        open_rows = assignments.search([('subscription_id', 'in', self.ids), ('unassigned_at', '=', False)])
        keep = self.filtered(lambda s: s.onu_id and s.state in ('active', 'suspended'))
        stale = open_rows.filtered(lambda a: a.subscription_id not in keep or a.onu_id != a.subscription_id.onu_id)
        stale.write({'unassigned_at': now})
        current = {(a.subscription_id.id, a.onu_id.id) for a in open_rows - stale}
        assignments.create([
            {'subscription_id': sub.id, 'onu_id': sub.onu_id.id, 'assigned_at': now}
            for sub in keep if (sub.id, sub.onu_id.id) not in current])
        keep.onu_id.sudo().filtered(lambda o: o.status == 'stock').status = 'installed'

import math
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.isp_core.tools.geo import gps_problem, has_position
from odoo.addons.isp_core.tools.network import is_valid_ipv4, parse_ip_port

# Periodic router jobs: job type → (the router field of the last one queued, the cron, the interval
# parameter, its default, minutes per unit of the parameter).
PERIODIC_JOBS = {
    'device_sync': ('last_sync_queued_at', 'isp_core.ir_cron_isp_router_drift_repair',
                    'isp_core.sync_interval_hours', 24, 60),
    'device_healthcheck': ('last_healthcheck_queued_at', 'isp_core.ir_cron_isp_router_healthcheck',
                           'isp_core.healthcheck_interval_minutes', 15, 1),
}
CRON_UNIT_MINUTES = {'minutes': 1, 'hours': 60, 'days': 1440, 'weeks': 10080, 'months': 43200}

# What the provisioner may report about a router it talked to.
SIDECAR_STATUS_FIELDS = ('status', 'routeros_version', 'board_name', 'identity', 'serial')


class IspDevice(models.Model):
    _name = 'isp.device'
    _description = "MikroTik router"
    _inherit = ['mail.thread']
    _order = 'name'

    name = fields.Char(required=True, tracking=True)
    sector_id = fields.Many2one('isp.sector', required=True, index=True, ondelete='restrict', tracking=True)
    mgmt_ip = fields.Char("Management IP", tracking=True)
    api_port = fields.Integer("API port", default=8728)
    api_tls = fields.Boolean("API over TLS")
    api_user = fields.Char("API user")
    routeros_version = fields.Char("RouterOS version", readonly=True)
    serial = fields.Char(copy=False)
    board_name = fields.Char("Board", readonly=True)
    identity = fields.Char(help="RouterOS /system/identity; DHCP webhooks name the router by it or by serial.")
    status = fields.Selection(
        [('new', "New"), ('online', "Online"), ('offline', "Offline"), ('error', "Error")],
        default='new', required=True, readonly=True, tracking=True)
    last_seen = fields.Datetime("Last seen", readonly=True)
    last_sync_queued_at = fields.Datetime(
        "Last sync queued", readonly=True, copy=False,
        help="When a router sync (drift repair) was last queued, by the cron or by hand.")
    last_healthcheck_queued_at = fields.Datetime(
        "Last health check queued", readonly=True, copy=False,
        help="When a router health check was last queued, by the cron or by hand.")
    # Where the router stands, for the maps; a router registered without one takes its sector's.
    gps_lat = fields.Float("Latitude", digits=(10, 7), compute='_compute_gps', store=True, readonly=False,
                           tracking=True)
    gps_lng = fields.Float("Longitude", digits=(10, 7), compute='_compute_gps', store=True, readonly=False,
                           tracking=True)
    active = fields.Boolean(default=True)
    subscription_ids = fields.One2many('isp.subscription', 'device_id', string="Subscriptions")
    job_ids = fields.One2many('isp.provisioning_job', 'device_id', string="Provisioning jobs")
    job_count = fields.Integer("Jobs", compute='_compute_job_count')
    subscription_count = fields.Integer("Subscriptions", compute='_compute_subscription_count')
    affected_customer_count = fields.Integer(
        "Customers affected", compute='_compute_outage', help="Active subscriptions served by this router.")
    in_outage = fields.Boolean(
        "In outage", compute='_compute_outage', help="Offline, or with a burst of fault tickets (Network > Outages).")

    _serial_uniq = models.UniqueIndex('(serial) WHERE serial IS NOT NULL', "A router with this serial already exists.")

    @api.constrains('mgmt_ip')
    def _check_mgmt_ip(self):
        for device in self:
            if device.mgmt_ip and not is_valid_ipv4(device.mgmt_ip):
                raise ValidationError(self.env._(
                    "Router %(name)s: %(ip)s is not a valid IPv4 management address.",
                    name=device.name, ip=device.mgmt_ip))

    @api.constrains('api_port')
    def _check_api_port(self):
        for device in self:
            if not 0 < device.api_port < 65536:
                raise ValidationError(self.env._("Router %s: the API port must be between 1 and 65535.", device.name))

    @api.constrains('gps_lat', 'gps_lng')
    def _check_gps(self):
        for device in self:
            problem = gps_problem(device.gps_lat, device.gps_lng)
            if problem == 'lat':
                raise ValidationError(self.env._("Router %(name)s: latitude %(lat)s is outside -90..90.",
                                                 name=device.name, lat=device.gps_lat))
            if problem == 'lng':
                raise ValidationError(self.env._("Router %(name)s: longitude %(lng)s is outside -180..180.",
                                                 name=device.name, lng=device.gps_lng))

    @api.depends('sector_id')
    def _compute_gps(self):
        for device in self:
            if not has_position(device.gps_lat, device.gps_lng):
                device.gps_lat = device.sector_id.gps_lat
                device.gps_lng = device.sector_id.gps_lng

    def _compute_job_count(self):
        counts = dict(self.env['isp.provisioning_job']._read_group(
            [('device_id', 'in', self.ids)], ['device_id'], ['__count']))
        for device in self:
            device.job_count = counts.get(device, 0)

    def _compute_subscription_count(self):
        counts = dict(self.env['isp.subscription']._read_group(
            [('device_id', 'in', self.ids)], ['device_id'], ['__count']))
        for device in self:
            device.subscription_count = counts.get(device, 0)

    def _compute_outage(self):
        counts = dict(self.env['isp.subscription']._read_group(
            [('device_id', 'in', self.ids), ('state', '=', 'active')], ['device_id'], ['__count']))
        in_outage = set(self.env['isp.outage'].search([('device_id', 'in', self.ids)]).device_id.ids)
        for device in self:
            device.affected_customer_count = counts.get(device, 0)
            device.in_outage = device.id in in_outage

    def action_view_jobs(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('isp_core.isp_provisioning_job_action')
        action['domain'] = [('device_id', '=', self.id)]
        action['context'] = {'default_device_id': self.id}
        return action

    def action_view_subscriptions(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('isp_core.isp_subscription_action')
        action['domain'] = [('device_id', '=', self.id)]
        action['context'] = {'default_device_id': self.id, 'default_sector_id': self.sector_id.id}
        return action

    def action_view_affected_customers(self):
        self.ensure_one()
        return self.env['isp.outage']._affected_customers_action(
            [('device_id', '=', self.id), ('state', '=', 'active')],
            self.env._("Customers affected: %(router)s", router=self.name))

    def _queue_device_job(self, job_type):
        """Queue one device-level job per router (health check, sync) and return the jobs."""
        jobs = self.env['isp.provisioning_job']._queue([{
            'job_type': job_type,
            'device_id': device.id,
            'payload': {'device': device.name, 'desired': {}},
        } for device in self])
        if job_type in PERIODIC_JOBS and self:
            self.sudo().write({PERIODIC_JOBS[job_type][0]: fields.Datetime.now()})
        return jobs

    @api.model
    def _cron_router_drift_repair(self):
        """Cron: queue ``device_sync`` for this run's share of the routers."""
        return self._queue_periodic_jobs('device_sync')

    @api.model
    def _cron_router_healthcheck(self):
        """Cron: queue ``device_healthcheck`` for this run's share of the routers."""
        return self._queue_periodic_jobs('device_healthcheck')

    @api.model
    def _queue_periodic_jobs(self, job_type):
        """Queue ``job_type`` for the active routers due in this run, and return the jobs.

        A router is due once its last job of the type was queued one interval ago (or never), less half
        a cron period so that it does not slip to the next run. A run takes at most
        ``ceil(routers × cron period / interval)`` of them, least recently queued first, so the routers
        spread evenly over the interval; a router with a job of the type still queued or running is
        skipped (a router down for hours keeps one waiting job, not a pile).
        """
        last_field, cron_xmlid, _param, _default, _unit = PERIODIC_JOBS[job_type]
        interval = self._periodic_interval_minutes(job_type)
        cron = self.env.ref(cron_xmlid, raise_if_not_found=False)
        period = cron.interval_number * CRON_UNIT_MINUTES[cron.interval_type] if cron else interval
        routers = self.sudo().with_context(active_test=True)
        total = routers.search_count([('mgmt_ip', '!=', False)])
        limit = min(total, math.ceil(total * period / interval)) if period < interval else total
        due_before = fields.Datetime.now() - timedelta(minutes=interval - period / 2 if period < interval else 0)
        due = routers.search([
            ('mgmt_ip', '!=', False),
            ('id', 'not in', list(self._busy_device_ids(job_type))),
            '|', (last_field, '=', False), (last_field, '<=', due_before),
        ], order=f'{last_field} asc nulls first, id', limit=limit) if limit else routers
        return due._queue_device_job(job_type)

    @api.model
    def _busy_device_ids(self, job_type):
        """Ids of the routers that still have a ``job_type`` job queued or running."""
        busy = self.env['isp.provisioning_job'].sudo()._read_group(
            [('job_type', '=', job_type), ('state', 'in', ('queued', 'running')), ('device_id', '!=', False)],
            ['device_id'])
        return {device.id for (device,) in busy}

    def _queue_device_job_unless_pending(self, job_type):
        """Queue ``job_type`` for the routers that do not have one queued or running yet (a queued job
        reads the router's desired state when it runs, so it already carries any later change)."""
        busy = self._busy_device_ids(job_type)
        return self.filtered(lambda device: device.id not in busy)._queue_device_job(job_type)

    @api.model
    def _periodic_interval_minutes(self, job_type):
        """The interval of a periodic job type in minutes (its ir.config_parameter, else the default)."""
        _field, _cron, param, default, unit = PERIODIC_JOBS[job_type]
        value = self.env['ir.config_parameter'].sudo().get_param(param)
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = default
        return (value if value > 0 else default) * unit

    @api.model
    def _suspended_redirect_address(self):
        """The ``ip:port`` of the suspension notice server, or False when unset or invalid."""
        value = (self.env['ir.config_parameter'].sudo().get_param('isp_core.suspended_redirect_address') or '').strip()
        return value if value and parse_ip_port(value) else False

    def _api_credentials(self):
        """Clear API credentials of the routers (``isp.sidecar.api.sidecar_router_credentials``);
        isp_mikrotik stores and decrypts them."""
        raise UserError(self.env._("Router credentials are kept by the isp_mikrotik addon, which is not installed."))

    def _report_status(self, values):
        """What the provisioner saw of the routers (``isp.sidecar.api.sidecar_report_router_status``);
        returns True.

        Only the inventory fields a router reports are accepted; ``last_seen`` is set when the
        router answered (any status but ``offline``).
        """
        unknown = set(values) - set(SIDECAR_STATUS_FIELDS)
        if unknown:
            raise ValidationError(self.env._(
                "These router fields cannot be reported by the provisioner: %s", ', '.join(sorted(unknown))))
        vals = dict(values)
        if vals.get('status', 'online') != 'offline':
            vals['last_seen'] = fields.Datetime.now()
        self.sudo().write(vals)
        return True

    def _router_policy(self):
        """Provisioner (``isp.sidecar.api.sidecar_router_policy``): the router-wide objects each router
        should hold.

        Returns ``[{device_id, suspended_redirect, walled_garden}]`` in the order of the records:
        ``suspended_redirect`` is the ``ip:port`` of the suspension notice
        server (setting ``isp_core.suspended_redirect_address``) or False, ``walled_garden`` the
        destination hosts of the active walled-garden entries of that router or of all routers (no
        router given), sorted and without duplicates.
        """
        devices = self.sudo().with_context(active_test=False).exists()
        redirect = self._suspended_redirect_address()
        entries = self.env['isp.captive.walled_garden'].sudo().search_fetch(
            ['|', ('device_ids', '=', False), ('device_ids', 'in', devices.ids)], ['dst_host', 'device_ids'])
        return [{
            'device_id': device.id,
            'suspended_redirect': redirect,
            'walled_garden': sorted({
                entry.dst_host for entry in entries if not entry.device_ids or device in entry.device_ids}),
        } for device in devices]

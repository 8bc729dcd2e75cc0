from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.isp_core.tools.network import is_valid_ipv4

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
    board_name = fields.Char(readonly=True)
    identity = fields.Char(help="RouterOS /system/identity; DHCP webhooks name the router by it or by serial.")
    status = fields.Selection(
        [('new', "New"), ('online', "Online"), ('offline', "Offline"), ('error', "Error")],
        default='new', required=True, readonly=True, tracking=True)
    last_seen = fields.Datetime(readonly=True)
    active = fields.Boolean(default=True)
    subscription_ids = fields.One2many('isp.subscription', 'device_id', string="Subscriptions")
    job_ids = fields.One2many('isp.provisioning_job', 'device_id', string="Provisioning jobs")
    job_count = fields.Integer(compute='_compute_job_count')
    subscription_count = fields.Integer(compute='_compute_subscription_count')

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

    def _queue_device_job(self, job_type):
        """Queue one device-level job per router (health check, sync) and return the jobs."""
        return self.env['isp.provisioning_job']._queue([{
            'job_type': job_type,
            'device_id': device.id,
            'payload': {'device': device.name, 'desired': {}},
        } for device in self])

    def sidecar_report_status(self, values):
        """Called by the provisioner after talking to the routers; returns True.

        Only the inventory fields a router reports are accepted; ``last_seen`` is set when the
        router answered (any status but ``offline``).
        """
        self.env['isp.provisioning_job']._check_sidecar_caller()
        unknown = set(values) - set(SIDECAR_STATUS_FIELDS)
        if unknown:
            raise ValidationError(self.env._(
                "These router fields cannot be reported by the provisioner: %s", ', '.join(sorted(unknown))))
        vals = dict(values)
        if vals.get('status', 'online') != 'offline':
            vals['last_seen'] = fields.Datetime.now()
        self.sudo().write(vals)
        return True

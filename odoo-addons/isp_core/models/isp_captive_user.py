import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.isp_core.tools.network import normalize_mac


class IspCaptiveUser(models.Model):
    _name = 'isp.captive.user'
    _description = "Captive portal (hotspot) user"
    _order = 'id desc'

    name = fields.Char("Login", required=True, copy=False)
    password = fields.Char(copy=False, groups='isp_core.group_isp_admin,isp_core.group_isp_sidecar')
    profile = fields.Char(default='default', required=True, help="RouterOS /ip/hotspot/user/profile name.")
    mac_address = fields.Char("MAC address", copy=False)
    subscription_id = fields.Many2one('isp.subscription', index='btree_not_null', ondelete='set null')
    device_id = fields.Many2one('isp.device', string="Router", index='btree_not_null', ondelete='set null')
    state = fields.Selection(
        [('pending', "Pending"), ('active', "Active"), ('disabled', "Disabled")], default='pending', required=True)
    job_ids = fields.One2many('isp.provisioning_job', 'captive_user_id', string="Provisioning jobs")

    _name_device_uniq = models.Constraint(
        'UNIQUE(name, device_id)', "This captive login already exists on the router.")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_vals(vals)
        users = super().create(vals_list)
        # Staff may create users without seeing passwords: the router still needs one.
        for user in users.sudo().filtered(lambda u: not u.password):
            user.password = secrets.token_urlsafe(12)
        return users

    def write(self, vals):
        self._normalize_vals(vals)
        return super().write(vals)

    def _normalize_vals(self, vals):
        if vals.get('mac_address'):
            mac = normalize_mac(vals['mac_address'])
            if not mac:
                raise ValidationError(self.env._("%s is not a valid MAC address.", vals['mac_address']))
            vals['mac_address'] = mac

    def action_provision(self):
        """Queue ``captive_user_create`` for pending or disabled users. Returns True."""
        if self.filtered(lambda u: u.state == 'active'):
            raise UserError(self.env._("Captive user %s is already active.", self.filtered(
                lambda u: u.state == 'active')[0].name))
        self._queue_jobs('captive_user_create')
        return True

    def action_disable(self):
        """Queue ``captive_user_disable`` and mark the users disabled. Returns True."""
        if self.filtered(lambda u: u.state == 'disabled'):
            raise UserError(self.env._("Captive user %s is already disabled.", self.filtered(
                lambda u: u.state == 'disabled')[0].name))
        self._queue_jobs('captive_user_disable')
        self.write({'state': 'disabled'})
        return True

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
                            'disabled': job_type == 'captive_user_disable'},
            },
        } for user in self])

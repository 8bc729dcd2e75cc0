import binascii

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.isp_mikrotik.tools import secret_box
from odoo.addons.isp_mikrotik.tools.fingerprint import normalize_sha256_fingerprint

SECRET_GROUPS = 'isp_core.group_isp_admin'


class IspDevice(models.Model):
    _inherit = 'isp.device'

    # Only the Fernet token is stored; nobody reads it through the ORM but the code below.
    api_password_token = fields.Char("Encrypted API password", copy=False, exportable=False, groups='base.group_system')
    api_password = fields.Char(
        "API password", compute='_compute_api_password', inverse='_inverse_api_password', copy=False,
        exportable=False, groups=SECRET_GROUPS,
        help="Write-only: stored encrypted with a key outside the database and never shown again.")
    api_password_set = fields.Boolean("API password stored", compute='_compute_api_password_set')
    api_tls_fingerprint = fields.Char(
        "Certificate fingerprint (SHA-256)", copy=False,
        help="With API over TLS: the SHA-256 fingerprint of the router's API certificate, which the "
             "provisioner then pins instead of verifying a CA chain (RouterOS certificates are usually "
             "self-signed). Any common notation is accepted; stored as AA:BB:… (32 pairs).")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_fingerprint_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_fingerprint_vals(vals)
        return super().write(vals)

    def _normalize_fingerprint_vals(self, vals):
        if vals.get('api_tls_fingerprint'):
            fingerprint = normalize_sha256_fingerprint(vals['api_tls_fingerprint'])
            if fingerprint is None:
                raise ValidationError(self.env._(
                    "%(value)s is not a SHA-256 certificate fingerprint (64 hexadecimal digits, colons "
                    "or spaces allowed).", value=vals['api_tls_fingerprint']))
            vals['api_tls_fingerprint'] = fingerprint

    def _compute_api_password(self):
        # Write-only: reading always answers nothing, whoever asks.
        for device in self:
            device.api_password = False

    def _inverse_api_password(self):
        for device in self:
            device.sudo().api_password_token = device._encrypt_password(device.api_password)
        # The written clear text would otherwise stay readable from this transaction's cache.
        self.invalidate_recordset(['api_password'])

    def _compute_api_password_set(self):
        for device, token in zip(self, self.sudo().mapped('api_password_token')):
            device.api_password_set = bool(token)

    def _encrypt_password(self, clear_text):
        if not clear_text:
            return False
        token = secret_box.encrypt(clear_text)
        if token is None:
            raise UserError(self.env._(
                "Router passwords are stored encrypted and no encryption key is configured: set "
                "isp_fernet_key in odoo.conf or the ISP_FERNET_KEY environment variable (a Fernet key), "
                "then restart Odoo."))
        return token

    # ------------------------------------------------------------------ actions

    def action_test_connection(self):
        """Queue a ``device_healthcheck`` job per router."""
        return self._notify_queued(self._queue_device_job('device_healthcheck'), self.env._("Connection test queued"))

    def action_sync_now(self):
        """Queue a ``device_sync`` job per router."""
        return self._notify_queued(self._queue_device_job('device_sync'), self.env._("Sync queued"))

    def _notify_queued(self, jobs, title):
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {
                'title': title,
                'message': ", ".join(jobs.mapped('name')),
                'type': 'info',
                'sticky': False,
                'next': {'type': 'ir.actions.client', 'tag': 'soft_reload'},
            },
        }

    # ------------------------------------------------------------------ sidecar API

    @api.model
    def get_api_credentials(self, device_ids):
        """The public contract's name of ``isp.sidecar.api.sidecar_router_credentials`` (same guard, same
        code)."""
        return self.env['isp.sidecar.api'].sidecar_router_credentials(device_ids)

    def _api_credentials(self):
        """Clear credentials, ``[{id, name, mgmt_ip, api_port, api_tls, api_tls_fingerprint, api_user,
        api_password}]`` in the order of the records (run as superuser by ``isp.sidecar.api``).

        ``api_password`` and ``api_tls_fingerprint`` are ``''`` when none is stored.
        """
        credentials = []
        for device in self.sudo().exists():
            credentials.append({
                'id': device.id,
                'name': device.name,
                'mgmt_ip': device.mgmt_ip or '',
                'api_port': device.api_port,
                'api_tls': device.api_tls,
                'api_tls_fingerprint': device.api_tls_fingerprint or '',
                'api_user': device.api_user or '',
                'api_password': device._decrypt_password(),
            })
        return credentials

    def _decrypt_password(self):
        self.ensure_one()
        token = self.sudo().api_password_token
        if not token:
            return ''
        try:
            clear_text = secret_box.decrypt(token)
        except (secret_box.InvalidToken, binascii.Error, ValueError) as error:
            raise UserError(self.env._(
                "The API password of router %s cannot be decrypted: the encryption key is not the one it was "
                "stored with.", self.name)) from error
        if clear_text is None:
            raise UserError(self.env._(
                "No encryption key is configured (isp_fernet_key / ISP_FERNET_KEY): router credentials cannot be "
                "decrypted."))
        return clear_text

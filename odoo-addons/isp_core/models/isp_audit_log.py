import json

from odoo import api, fields, models
from odoo.exceptions import UserError

# What an entry from the services may say; the author and the time are set by Odoo.
SIDECAR_AUDIT_KEYS = ('action', 'record_model', 'record_id', 'device_id', 'job_id', 'before_json', 'after_json',
                      'result')


class IspAuditLog(models.Model):
    _name = 'isp.audit_log'
    _description = "ISP audit log"
    _order = 'timestamp desc, id desc'
    _rec_name = 'action'

    action = fields.Char(required=True, readonly=True, index=True)
    record_model = fields.Char(readonly=True, index=True)
    record_id = fields.Integer(readonly=True)
    device_id = fields.Many2one('isp.device', string="Router", readonly=True, index='btree_not_null',
                                ondelete='set null')
    job_id = fields.Many2one('isp.provisioning_job', readonly=True, index='btree_not_null', ondelete='set null')
    user_id = fields.Many2one('res.users', readonly=True, default=lambda self: self.env.uid, ondelete='set null')
    timestamp = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    before_json = fields.Text("Before", readonly=True)
    after_json = fields.Text("After", readonly=True)
    result = fields.Char(readonly=True, help="Outcome, e.g. success, failed, noop, queued.")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # The author and time of an entry are facts, not input.
            vals['user_id'] = self.env.uid
            vals['timestamp'] = fields.Datetime.now()
        return super().create(vals_list)

    def write(self, vals):
        raise UserError(self.env._("The audit log is append-only: entries cannot be changed."))

    def unlink(self):
        raise UserError(self.env._("The audit log is append-only: entries cannot be deleted."))

    @api.model
    def _append_entries(self, entries):
        """Append the provisioner's entries (``isp.sidecar.api.sidecar_append_audit``) as superuser.

        ``entries``: ``[{action, record_model?, record_id?, device_id?, job_id?, before_json?, after_json?,
        result?}]``; any wrong entry refuses the whole call before anything is written.
        """
        if not isinstance(entries, (list, tuple)):
            raise UserError(self.env._("entries must be a list of audit entries."))
        vals_list = [self._validated_entry(index, entry) for index, entry in enumerate(entries)]
        for field, model in (('device_id', 'isp.device'), ('job_id', 'isp.provisioning_job')):
            ids = {vals[field] for vals in vals_list if vals.get(field)}
            missing = ids - set(self.env[model].sudo().with_context(active_test=False).browse(ids).exists().ids)
            if missing:
                raise UserError(self.env._("Audit entries name %(field)s that do not exist: %(ids)s",
                                           field=field, ids=", ".join(str(i) for i in sorted(missing))))
        return self.sudo().create(vals_list)

    @api.model
    def _validated_entry(self, index, entry):
        if not isinstance(entry, dict):
            raise UserError(self.env._("entries[%s] must be an object.", index))
        unknown = set(entry) - set(SIDECAR_AUDIT_KEYS)
        if unknown:
            raise UserError(self.env._("entries[%(index)s]: unknown keys %(keys)s (allowed: %(allowed)s).",
                                       index=index, keys=", ".join(sorted(unknown)),
                                       allowed=", ".join(SIDECAR_AUDIT_KEYS)))
        if not isinstance(entry.get('action'), str) or not entry['action'].strip():
            raise UserError(self.env._("entries[%s]: action must be a non-empty text.", index))
        for key in ('record_model', 'before_json', 'after_json', 'result'):
            if entry.get(key, False) is not False and not isinstance(entry[key], str):
                raise UserError(self.env._("entries[%(index)s]: %(key)s must be a text or false.",
                                           index=index, key=key))
        for key in ('record_id', 'device_id', 'job_id'):
            if entry.get(key, False) is not False and not _is_id(entry[key]):
                raise UserError(self.env._("entries[%(index)s]: %(key)s must be a record id or false.",
                                           index=index, key=key))
        return dict(entry)

    @api.model
    def _log(self, entries):
        """Append entries ``{action, record, result, before, after, job}`` as superuser.

        Logging must not depend on the actor's rights; ``sudo`` keeps ``uid``, so the actor is recorded.
        """
        return self.sudo().create([{
            'action': entry['action'],
            'record_model': entry['record']._name,
            'record_id': entry['record'].id,
            'device_id': entry['record'].device_id.id if 'device_id' in entry['record']._fields else False,
            'job_id': entry['job'].id if entry.get('job') else False,
            'before_json': _dump(entry.get('before')),
            'after_json': _dump(entry.get('after')),
            'result': entry.get('result', 'queued'),
        } for entry in entries])


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _dump(value):
    return json.dumps(value, sort_keys=True, default=str) if value is not None else False

import json

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# What an entry from the services may say; the author and the time are set by Odoo.
SIDECAR_AUDIT_KEYS = ('action', 'record_model', 'record_id', 'device_id', 'job_id', 'before_json', 'after_json',
                      'result')
# Entries keep codes (the services' contract); people read these words. The provisioner writes the
# job type as the action (labelled by isp.provisioning_job's job types), Odoo the codes below.
ACTION_LABELS = {
    'subscription.activate': _lt("Subscription activated"),
    'subscription.suspend': _lt("Subscription suspended"),
    'subscription.reconnect': _lt("Subscription reconnected"),
    'subscription.terminate': _lt("Subscription terminated"),
    'subscription.change_plan': _lt("Plan changed"),
    'subscription.update': _lt("Subscription changed on the router"),
}
RESULT_LABELS = {
    'queued': _lt("Queued"),
    'done': _lt("Recorded"),
    'success': _lt("Applied on the router"),
    'noop': _lt("No change needed"),
    'failed': _lt("Failed"),
    'dry_run': _lt("Dry run"),
}


def humanize(code):
    """``router.ensure_queue`` → "Router ensure queue": an unknown code still reads as words."""
    words = (code or '').replace('.', ' ').replace('_', ' ').split()
    return ' '.join(words).capitalize()


class IspAuditLog(models.Model):
    _name = 'isp.audit_log'
    _description = "ISP audit log"
    _order = 'timestamp desc, id desc'
    _rec_name = 'action'

    action = fields.Char("Action code", required=True, readonly=True, index=True)
    action_label = fields.Char("Action", compute='_compute_labels')
    record_model = fields.Char("Model technical name", readonly=True, index=True)
    record_model_name = fields.Char("Model", compute='_compute_record')
    record_id = fields.Integer("Record ID", readonly=True)
    record_ref = fields.Reference(selection='_selection_record_model', string="Record", compute='_compute_record')
    device_id = fields.Many2one('isp.device', string="Router", readonly=True, index='btree_not_null',
                                ondelete='set null')
    job_id = fields.Many2one('isp.provisioning_job', readonly=True, index='btree_not_null', ondelete='set null')
    user_id = fields.Many2one('res.users', readonly=True, default=lambda self: self.env.uid, ondelete='set null')
    timestamp = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    before_json = fields.Text("Before", readonly=True)
    after_json = fields.Text("After", readonly=True)
    result = fields.Char("Result code", readonly=True, help="Outcome, e.g. success, failed, noop, queued.")
    result_label = fields.Char("Result", compute='_compute_labels')

    @api.model
    def _selection_record_model(self):
        return [(model.model, model.name) for model in self.env['ir.model'].sudo().search([])]

    @api.depends('action', 'result')
    def _compute_labels(self):
        job_types = dict(self.env['isp.provisioning_job']._fields['job_type']._description_selection(self.env))
        for entry in self:
            label = ACTION_LABELS.get(entry.action)
            entry.action_label = self.env._(label) if label else job_types.get(entry.action) or humanize(entry.action)
            label = RESULT_LABELS.get(entry.result)
            entry.result_label = self.env._(label) if label else humanize(entry.result) or False

    @api.depends('record_model', 'record_id')
    def _compute_record(self):
        models_ = self.env['ir.model'].sudo()
        # Which records still exist: one query per model named, not one per entry of the list.
        existing = {}
        for model_name in {entry.record_model for entry in self if entry.record_model in self.env}:
            ids = {entry.record_id for entry in self if entry.record_model == model_name and entry.record_id}
            existing[model_name] = set(self.env[model_name].browse(ids).exists().ids)
        for entry in self:
            model = models_._get(entry.record_model) if entry.record_model in existing else models_
            entry.record_model_name = model.name or entry.record_model
            found = entry.record_id in existing.get(entry.record_model, ())
            entry.record_ref = self.env[entry.record_model].browse(entry.record_id) if found else False

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

    def action_open_record(self):
        """Open the record the entry is about."""
        self.ensure_one()
        if not self.record_ref:
            raise UserError(self.env._("The record of this entry no longer exists."))
        return {
            'type': 'ir.actions.act_window',
            'res_model': self.record_ref._name,
            'res_id': self.record_ref.id,
            'views': [(False, 'form')],
        }

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

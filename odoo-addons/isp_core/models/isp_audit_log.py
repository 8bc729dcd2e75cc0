import json

from odoo import api, fields, models
from odoo.exceptions import UserError


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


def _dump(value):
    return json.dumps(value, sort_keys=True, default=str) if value is not None else False

import json
import logging
import threading

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.isp_core.tools.sidecar_notify import DEFAULT_TIMEOUT, notify_jobs

_logger = logging.getLogger(__name__)

JOB_TYPES = [
    ('activate_subscription', "Activate subscription"),
    ('suspend_subscription', "Suspend subscription"),
    ('reconnect_subscription', "Reconnect subscription"),
    ('terminate_subscription', "Terminate subscription"),
    ('change_plan', "Change plan"),
    ('captive_user_create', "Create captive user"),
    ('captive_user_disable', "Disable captive user"),
    ('captive_user_remove', "Remove captive user"),
    ('device_healthcheck', "Router health check"),
    ('device_sync', "Router sync"),
    ('update_subscription', "Update on router"),
]
JOB_STATES = [
    ('queued', "Queued"),
    ('running', "Running"),
    ('success', "Success"),
    ('failed', "Failed"),
    ('cancelled', "Cancelled"),
]
# What the provisioner may say of a job that succeeded, by code: a selection, so that each reader
# sees the text in their own language.
RESULT_NOTES = [
    ('cut_at_next_lease', "The customer is not online now: the router cuts the service from the first "
                          "packet of its next connection."),
]
# Fields staff may write directly; everything else moves through the actions and the services' API.
STAFF_WRITABLE = {'max_attempts'}
# What the provisioner reads of a job (isp.sidecar.api.sidecar_read_jobs).
SIDECAR_JOB_FIELDS = ['name', 'job_type', 'state', 'subscription_id', 'device_id', 'captive_user_id', 'attempts',
                      'max_attempts']
# Job ids of the current transaction, sent to the gateway in one request after commit.
NOTIFY_DATA_KEY = 'isp_core.notify_job_ids'


class IspProvisioningJob(models.Model):
    _name = 'isp.provisioning_job'
    _inherit = ['isp.sequence.mixin']
    _sequence_code = 'isp.provisioning_job'
    _description = "Provisioning job"
    _order = 'id desc'

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    job_type = fields.Selection(JOB_TYPES, string="Type", required=True, readonly=True, index=True)
    subscription_id = fields.Many2one('isp.subscription', index='btree_not_null', readonly=True,
                                      ondelete='cascade')
    device_id = fields.Many2one('isp.device', string="Router", index='btree_not_null', readonly=True,
                                ondelete='cascade')
    captive_user_id = fields.Many2one('isp.captive.user', string="Captive user", index='btree_not_null', readonly=True,
                                      ondelete='cascade')
    sector_id = fields.Many2one('isp.sector', compute='_compute_sector_id', store=True, index='btree_not_null')
    state = fields.Selection(JOB_STATES, default='queued', required=True, readonly=True, index=True)
    attempts = fields.Integer(default=0, readonly=True)
    max_attempts = fields.Integer("Max attempts", default=lambda self: self._default_max_attempts(), required=True)
    error_message = fields.Text("Last error", readonly=True)
    result_note = fields.Selection(
        RESULT_NOTES, "Result", readonly=True,
        help="What the router did differs from what the job's name suggests, e.g. when a cut takes effect.")
    waiting_router = fields.Boolean(
        "Waiting for router", readonly=True, index=True,
        help="The router could not be reached; the job stays queued and is retried when it answers.")
    payload_json = fields.Text("Payload", readonly=True)
    requested_at = fields.Datetime("Requested on", default=fields.Datetime.now, required=True, readonly=True)
    started_at = fields.Datetime("Started on", readonly=True)
    executed_at = fields.Datetime("Executed on", readonly=True)
    audit_ids = fields.One2many('isp.audit_log', 'job_id', string="Audit log")

    _state_type_idx = models.Index('(state, job_type)')

    @api.depends('subscription_id.sector_id', 'device_id.sector_id', 'captive_user_id.device_id.sector_id')
    def _compute_sector_id(self):
        for job in self:
            job.sector_id = (job.subscription_id.sector_id or job.device_id.sector_id
                             or job.captive_user_id.device_id.sector_id)

    @api.model
    def _default_max_attempts(self):
        value = self.env['ir.config_parameter'].sudo().get_param('isp_core.provisioning_max_attempts', '5')
        try:
            return max(1, int(value))
        except ValueError:
            return 5

    def write(self, vals):
        if not self.env.su:
            forbidden = set(vals) - STAFF_WRITABLE
            if forbidden:
                raise AccessError(self.env._(
                    "These job fields change only through the job actions: %s", ", ".join(sorted(forbidden))))
        return super().write(vals)

    # ------------------------------------------------------------------ queueing

    @api.model
    def _queue(self, specs):
        """Create queued jobs from ``{job_type, subscription_id?, device_id?, captive_user_id?, payload}``.

        Jobs are created as superuser: whoever may change the business record may cause its
        job; the gateway is notified once after the transaction commits.
        """
        if not specs:
            return self.browse()
        vals_list = []
        for spec in specs:
            payload = dict(spec.get('payload') or {})
            payload['job_type'] = spec['job_type']
            vals_list.append({
                'job_type': spec['job_type'],
                'subscription_id': spec.get('subscription_id', False),
                'device_id': spec.get('device_id', False),
                'captive_user_id': spec.get('captive_user_id', False),
                'payload_json': json.dumps(payload, sort_keys=True, default=str),
            })
        jobs = self.sudo().create(vals_list)
        jobs._notify_sidecar_after_commit()
        return self.browse(jobs.ids)

    def _notify_sidecar_after_commit(self):
        if not self:
            return
        postcommit = self.env.cr.postcommit
        pending = postcommit.data.get(NOTIFY_DATA_KEY)
        if pending is None:
            params = self.env['ir.config_parameter'].sudo()
            url = params.get_param('isp_core.sidecar_url')
            token = params.get_param('isp_core.sidecar_token')
            pending = postcommit.data[NOTIFY_DATA_KEY] = set()
            if url:
                postcommit.add(lambda: _notify_in_background(url, token, pending))
        pending.update(self.ids)

    # ------------------------------------------------------------------ access

    def _check_states(self, allowed, action_label):
        wrong = self.filtered(lambda job: job.state not in allowed)
        if wrong:
            states = dict(JOB_STATES)
            raise UserError(self.env._(
                "Cannot %(action)s job %(job)s: it is %(state)s (allowed: %(allowed)s).",
                action=action_label, job=wrong[0].name, state=states[wrong[0].state],
                allowed=', '.join(states[s] for s in allowed)))

    # ------------------------------------------------------------------ UI actions

    def action_requeue(self):
        self._check_states(('failed', 'cancelled'), self.env._("requeue"))
        self.sudo().write({
            'state': 'queued', 'attempts': 0, 'error_message': False, 'waiting_router': False,
            'started_at': False, 'executed_at': False,
        })
        self._notify_sidecar_after_commit()
        return True

    def action_cancel(self):
        self._check_states(('queued', 'failed'), self.env._("cancel"))
        self.sudo().write({'state': 'cancelled', 'waiting_router': False})
        return True

    def action_open_record(self):
        self.ensure_one()
        record = self.subscription_id or self.captive_user_id or self.device_id
        if not record:
            return False
        return {
            'type': 'ir.actions.act_window',
            'res_model': record._name,
            'res_id': record.id,
            'views': [(False, 'form')],
        }

    # ------------------------------------------------------------------ provisioner (through isp.sidecar.api)

    def _mark_running(self):
        """A worker claimed the jobs (queued → running, one more attempt). Returns True."""
        self._check_states(('queued',), self.env._("start"))
        for job in self.sudo():
            job.write({
                'state': 'running', 'attempts': job.attempts + 1, 'started_at': fields.Datetime.now(),
                'waiting_router': False,
            })
        return True

    def _mark_done(self, notes=None):
        """Provisioner: the router matches the desired state (running → success). ``notes`` maps a job
        id to a result code of ``RESULT_NOTES`` when the outcome needs saying in words (e.g. a cut that
        takes effect at the customer's next connection): kept on the job and posted on its
        subscription. Returns True."""
        self._check_states(('queued', 'running'), self.env._("complete"))
        notes = self._validated_notes(notes)
        self.sudo().write({
            'state': 'success', 'executed_at': fields.Datetime.now(), 'error_message': False,
            'waiting_router': False, 'result_note': False,
        })
        # The chatter is read by the ISP's staff: in the company's language, not the service user's.
        staff = self.sudo().with_context(lang=self.env.company.partner_id.lang or self.env.lang)
        for job in staff.filtered(lambda j: j.id in notes):
            job.result_note = notes[job.id]
            if job.subscription_id:
                note = dict(job._fields['result_note']._description_selection(job.env))[job.result_note]
                job.subscription_id.message_post(body=job.env._("%(job)s: %(note)s", job=job.name, note=note))
        return True

    def _validated_notes(self, notes):
        """``{job_id: code}`` (ids as JSON gives them, strings or integers) for jobs of this set only."""
        if not notes:
            return {}
        if not isinstance(notes, dict):
            raise UserError(self.env._("Job notes must be a mapping of job ids to result codes."))
        validated = {}
        for key, code in notes.items():
            try:
                job_id = int(key)
            except (TypeError, ValueError):
                raise UserError(self.env._("%s is not a job id.", key)) from None
            if job_id not in self.ids:
                raise UserError(self.env._("Job %s is not among the jobs being completed.", job_id))
            if code not in dict(RESULT_NOTES):
                raise UserError(self.env._("%s is not a known job result.", code))
            validated[job_id] = code
        return validated

    def _mark_failed(self, error, final=False):
        """An attempt failed with ``error``. Returns True.

        The job goes back to ``queued`` for another attempt, or to ``failed`` once
        ``attempts`` reached ``max_attempts`` or when ``final`` says retrying is pointless.
        """
        self._check_states(('queued', 'running'), self.env._("fail"))
        now = fields.Datetime.now()
        for job in self.sudo():
            exhausted = final or job.attempts >= job.max_attempts
            job.write({
                'state': 'failed' if exhausted else 'queued',
                'error_message': str(error or self.env._("Unknown error")),
                'executed_at': now,
                'waiting_router': False,
            })
        return True

    def _mark_waiting(self, reason):
        """The router is unreachable; keep the job queued and flag it. Returns True.

        An unreachable router (a Starlink outage is normal) is not the job's fault, so the
        attempt taken by ``_mark_running`` is given back.
        """
        self._check_states(('queued', 'running'), self.env._("park"))
        for job in self.sudo():
            job.write({
                'state': 'queued',
                'attempts': max(0, job.attempts - 1) if job.state == 'running' else job.attempts,
                'waiting_router': True,
                'error_message': str(reason or self.env._("Router unreachable")),
            })
        return True

    def _read_for_sidecar(self):
        """``[{id, name, job_type, state, subscription_id, ...}]`` as ``search_read`` gives them."""
        return self.read(SIDECAR_JOB_FIELDS)

    @api.model
    def _pending_for_sidecar(self, limit=500):
        """Provisioner sweeper: queued jobs, oldest first, as ``[{id, name, job_type, ...}]``.

        Jobs waiting for an unreachable router come last: the provisioner already retries them, and
        during a long outage they must not fill the limit ahead of jobs whose notification was lost.
        """
        jobs = self.search_fetch(
            [('state', '=', 'queued')],
            ['name', 'job_type', 'subscription_id', 'device_id', 'captive_user_id', 'attempts', 'max_attempts',
             'waiting_router', 'payload_json'],
            order='waiting_router, id', limit=limit)
        return [{
            'id': job.id,
            'name': job.name,
            'job_type': job.job_type,
            'subscription_id': job.subscription_id.id,
            'device_id': job.device_id.id,
            'captive_user_id': job.captive_user_id.id,
            'attempts': job.attempts,
            'max_attempts': job.max_attempts,
            'waiting_router': job.waiting_router,
            'payload_json': job.payload_json,
        } for job in jobs]


def _notify_in_background(url, token, job_ids):
    """Post-commit hook: never let the gateway's latency reach the user's request."""
    thread = threading.Thread(
        target=notify_jobs, args=(url, token, sorted(job_ids), DEFAULT_TIMEOUT),
        name='isp-core-notify-jobs', daemon=True)
    thread.start()
    return thread

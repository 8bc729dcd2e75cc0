from odoo import api, models
from odoo.exceptions import AccessError, UserError

SIDECAR_GROUP = 'isp_core.group_isp_sidecar'
# States the provisioner may record for a hotspot user once the router holds (or dropped) it.
CAPTIVE_ROUTER_STATES = ('active', 'disabled', 'removed')


class IspSidecarApi(models.AbstractModel):
    """The one face of Odoo for the sidecars (gateway, provisioner).

    Every method the services call is here, named ``sidecar_*`` and behind one guard
    (``_check_sidecar_caller``): only users of ``isp_core.group_isp_sidecar`` (or the superuser) get
    through. Each method checks its arguments and calls the business method of the model that owns
    the data, as superuser: the service user needs no ORM rights on the ISP models. The guard runs
    before anything is read, so a refused caller learns nothing.
    """
    _name = 'isp.sidecar.api'
    _description = "API of the ISP services (gateway, provisioner)"

    # ------------------------------------------------------------------ guard and validation

    @api.model
    def _check_sidecar_caller(self):
        if self.env.su or self.env.user.has_group(SIDECAR_GROUP):
            return
        raise AccessError(self.env._("Only the ISP services user may call this method."))

    @api.model
    def _valid_ids(self, value, argument):
        """``value`` as a list of record ids (ints > 0), or a UserError naming ``argument``."""
        if not isinstance(value, (list, tuple)) or any(
                isinstance(i, bool) or not isinstance(i, int) or i <= 0 for i in value):
            raise UserError(self.env._("%s must be a list of record ids (positive integers).", argument))
        return list(value)

    @api.model
    def _valid_id(self, value, argument):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise UserError(self.env._("%s must be a record id (a positive integer).", argument))
        return value

    @api.model
    def _valid_text(self, value, argument):
        if not isinstance(value, str):
            raise UserError(self.env._("%s must be a text.", argument))
        return value

    @api.model
    def _records(self, model, ids, argument):
        """The existing records of ``ids`` (as superuser; archived ones too: ``exists`` does not filter them)."""
        return self.env[model].sudo().browse(self._valid_ids(ids, argument)).exists()

    # ------------------------------------------------------------------ provisioning jobs

    @api.model
    def sidecar_pending_jobs(self, limit=500):
        """Provisioner sweeper: the queued jobs, oldest first, those waiting for a router last."""
        self._check_sidecar_caller()
        if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
            raise UserError(self.env._("limit must be a positive integer."))
        return self.env['isp.provisioning_job'].sudo()._pending_for_sidecar(limit)

    @api.model
    def sidecar_read_jobs(self, job_ids):
        """Provisioner: the jobs of ``job_ids`` that exist (fields of ``SIDECAR_JOB_FIELDS``)."""
        self._check_sidecar_caller()
        return self._records('isp.provisioning_job', job_ids, 'job_ids')._read_for_sidecar()

    @api.model
    def sidecar_mark_running(self, job_ids):
        """A worker claimed the jobs: queued → running, one more attempt."""
        self._check_sidecar_caller()
        return self._jobs(job_ids)._mark_running()

    @api.model
    def sidecar_mark_done(self, job_ids, notes=None):
        """The routers match the desired state: → success; ``notes`` maps job ids to result codes."""
        self._check_sidecar_caller()
        return self._jobs(job_ids)._mark_done(notes)

    @api.model
    def sidecar_mark_failed(self, job_ids, error, final=False):
        """An attempt failed: back to queued, or failed once the attempts are used up or ``final``."""
        self._check_sidecar_caller()
        if not isinstance(final, bool):
            raise UserError(self.env._("final must be true or false."))
        return self._jobs(job_ids)._mark_failed(self._valid_text(error, 'error'), final=final)

    @api.model
    def sidecar_mark_waiting(self, job_ids, reason):
        """The router is unreachable: the jobs stay queued, flagged, the attempt given back."""
        self._check_sidecar_caller()
        return self._jobs(job_ids)._mark_waiting(self._valid_text(reason, 'reason'))

    @api.model
    def _jobs(self, job_ids):
        jobs = self._records('isp.provisioning_job', job_ids, 'job_ids')
        missing = set(job_ids) - set(jobs.ids)
        if missing:
            raise UserError(self.env._("These provisioning jobs do not exist: %s",
                                       ", ".join(str(i) for i in sorted(missing))))
        return jobs

    # ------------------------------------------------------------------ subscriptions and routers

    @api.model
    def sidecar_subscription_snapshot(self, subscription_ids=None, device_id=None):
        """Desired state of the given subscriptions, or of every live one of router ``device_id``."""
        self._check_sidecar_caller()
        if (subscription_ids is None) == (device_id is None):
            raise UserError(self.env._("Give either subscription_ids or device_id."))
        Subscription = self.env['isp.subscription'].sudo()
        if subscription_ids is not None:
            return Subscription._provisioning_snapshot(
                subscription_ids=self._valid_ids(subscription_ids, 'subscription_ids'))
        return Subscription._provisioning_snapshot(device_id=self._valid_id(device_id, 'device_id'))

    @api.model
    def sidecar_router_credentials(self, device_ids):
        """Clear API credentials of the routers (isp_mikrotik keeps them)."""
        self._check_sidecar_caller()
        return self._records('isp.device', device_ids, 'device_ids')._api_credentials()

    @api.model
    def sidecar_router_policy(self, device_ids):
        """The router-wide objects each router should hold (suspension redirect, walled garden)."""
        self._check_sidecar_caller()
        return self._records('isp.device', device_ids, 'device_ids')._router_policy()

    @api.model
    def sidecar_report_router_status(self, device_id, values):
        """What the provisioner saw of a router (status, version, board, identity, serial)."""
        self._check_sidecar_caller()
        device = self._records('isp.device', [self._valid_id(device_id, 'device_id')], 'device_id')
        if not device:
            raise UserError(self.env._("Router %s does not exist.", device_id))
        if not isinstance(values, dict):
            raise UserError(self.env._("values must be an object of router fields."))
        return device._report_status(values)

    # ------------------------------------------------------------------ hotspot

    @api.model
    def sidecar_captive_users(self, user_ids):
        """Provisioner: the hotspot users of ``user_ids`` that exist, with their passwords."""
        self._check_sidecar_caller()
        return self._records('isp.captive.user', user_ids, 'user_ids')._read_for_sidecar()

    @api.model
    def sidecar_set_captive_state(self, user_ids, state):
        """Records what the router now holds of these hotspot users: active, disabled or removed."""
        self._check_sidecar_caller()
        if state not in CAPTIVE_ROUTER_STATES:
            raise UserError(self.env._("%(state)r is not a state a router reports for a hotspot user "
                                       "(allowed: %(allowed)s).",
                                       state=state, allowed=", ".join(CAPTIVE_ROUTER_STATES)))
        return self._records('isp.captive.user', user_ids, 'user_ids')._set_router_state(state)

    @api.model
    def sidecar_sync_sessions(self, device_id, sessions):
        """Mirrors the router's whole ``/ip/hotspot/active`` into ``isp.captive.session``."""
        self._check_sidecar_caller()
        return self.env['isp.captive.session'].sudo()._sync_sessions(device_id, sessions)

    # ------------------------------------------------------------------ leases and audit

    @api.model
    def sidecar_register_leases(self, leases):
        """DHCP lease events of the routers, upserted by MAC (see ``isp.mac.profile._register_leases``)."""
        self._check_sidecar_caller()
        return self.env['isp.mac.profile'].sudo()._register_leases(leases)

    @api.model
    def sidecar_append_audit(self, entries):
        """Appends audit entries; returns their ids. The log is append-only."""
        self._check_sidecar_caller()
        return self.env['isp.audit_log'].sudo()._append_entries(entries).ids

from odoo import api, fields, models


class IspDashboard(models.Model):
    """KPI tiles of the backoffice: one record, every figure one aggregate query.

    isp_billing extends ``_kpi_overdue_count``/``_overdue_subscription_domain`` (and may
    replace ``_kpi_mrr`` with invoiced figures).
    """
    _name = 'isp.dashboard'
    _description = "ISP KPI dashboard"

    name = fields.Char(required=True, default="ISP dashboard")
    currency_id = fields.Many2one('res.currency', compute='_compute_kpis')
    active_count = fields.Integer("Active", compute='_compute_kpis')
    suspended_count = fields.Integer("Suspended", compute='_compute_kpis')
    draft_count = fields.Integer("Pending installation", compute='_compute_kpis')
    overdue_count = fields.Integer("Overdue", compute='_compute_kpis')
    mrr = fields.Monetary("MRR", compute='_compute_kpis', currency_field='currency_id')
    open_ticket_count = fields.Integer("Open tickets", compute='_compute_kpis')
    overdue_ticket_count = fields.Integer("Tickets past SLA", compute='_compute_kpis')
    sla_compliance = fields.Float("SLA compliance (%)", compute='_compute_kpis', digits=(5, 1))
    job_failed_count = fields.Integer("Failed jobs", compute='_compute_kpis')
    job_waiting_count = fields.Integer("Jobs waiting for router", compute='_compute_kpis')

    def _compute_kpis(self):
        values = self._kpi_values()
        for dashboard in self:
            dashboard.update(values)

    @api.model
    def _kpi_values(self):
        by_state = dict(self.env['isp.subscription']._read_group([], ['state'], ['__count']))
        jobs = self.env['isp.provisioning_job']
        tickets = self.env['isp.fault.ticket']
        return {
            'currency_id': self.env.company.currency_id.id,
            'active_count': by_state.get('active', 0),
            'suspended_count': by_state.get('suspended', 0),
            'draft_count': by_state.get('draft', 0),
            'overdue_count': self._kpi_overdue_count(),
            'mrr': self._kpi_mrr(),
            'open_ticket_count': tickets.search_count(self._open_ticket_domain()),
            'overdue_ticket_count': tickets.search_count([('is_overdue', '=', True)]),
            'sla_compliance': self._kpi_sla_compliance(),
            'job_failed_count': jobs.search_count([('state', '=', 'failed')]),
            'job_waiting_count': jobs.search_count(self._waiting_job_domain()),
        }

    @api.model
    def _kpi_overdue_count(self):
        return self.env['isp.subscription'].search_count(self._overdue_subscription_domain())

    @api.model
    def _overdue_subscription_domain(self):
        """Subscriptions with overdue invoices: none without isp_billing."""
        return [('id', '=', False)]

    @api.model
    def _kpi_mrr(self):
        """Monthly recurring revenue; without billing, the contracted one (see below)."""
        return self._kpi_contracted_mrr()

    @api.model
    def _kpi_contracted_mrr(self):
        """Monthly recurring revenue of active subscriptions at their plan price."""
        [(total,)] = self.env['isp.subscription']._read_group([('state', '=', 'active')], [], ['price:sum'])
        return total or 0.0

    @api.model
    def _kpi_sla_compliance(self):
        """Share of tickets resolved within SLA among those whose SLA is decided (met or breached)."""
        tickets = self.env['isp.fault.ticket']
        base = [('state', '!=', 'cancelled')]
        met = tickets.search_count(base + [('sla_status', '=', 'met')])
        breached = tickets.search_count(base + ['|', ('sla_status', '=', 'breached'), ('is_overdue', '=', True)])
        decided = met + breached
        return round(100.0 * met / decided, 1) if decided else 100.0

    @api.model
    def _open_ticket_domain(self):
        return [('state', 'in', ('new', 'in_progress'))]

    @api.model
    def _waiting_job_domain(self):
        return [('state', '=', 'queued'), ('waiting_router', '=', True)]

    # ------------------------------------------------------------------ drill-down

    def _open(self, xmlid, domain, name=None, views=None, context=None):
        action = self.env['ir.actions.act_window']._for_xml_id(xmlid)
        action['domain'] = domain
        action['context'] = context or {}
        if name:
            action['display_name'] = name
        if views:
            action['views'] = [(False, view) for view in views]
        return action

    def action_open_active(self):
        return self._open('isp_core.isp_subscription_action', [('state', '=', 'active')], self.env._("Active"))

    def action_open_suspended(self):
        return self._open('isp_core.isp_subscription_action', [('state', '=', 'suspended')], self.env._("Suspended"))

    def action_open_draft(self):
        return self._open('isp_core.isp_subscription_action', [('state', '=', 'draft')],
                          self.env._("Pending installation"))

    def action_open_overdue(self):
        return self._open('isp_core.isp_subscription_action', self._overdue_subscription_domain(),
                          self.env._("Overdue"))

    def action_open_mrr(self):
        return self._open('isp_core.isp_subscription_action', [('state', '=', 'active')], self.env._("MRR by plan"),
                          views=['pivot', 'graph', 'list', 'form'],
                          context={'pivot_row_groupby': ['plan_id'], 'pivot_measures': ['price'],
                                   'graph_groupbys': ['plan_id'], 'graph_measure': 'price'})

    def action_open_tickets(self):
        return self._open('isp_core.isp_fault_ticket_action', self._open_ticket_domain(), self.env._("Open tickets"))

    def action_open_tickets_sla(self):
        return self._open('isp_core.isp_fault_ticket_action', [('state', '!=', 'cancelled')],
                          self.env._("Tickets by SLA"), views=['graph', 'pivot', 'list', 'form'],
                          context={'graph_groupbys': ['sla_status', 'priority'],
                                   'pivot_row_groupby': ['sla_status'], 'pivot_column_groupby': ['priority']})

    def action_open_overdue_tickets(self):
        return self._open('isp_core.isp_fault_ticket_action', [('is_overdue', '=', True)],
                          self.env._("Tickets past SLA"))

    def action_open_jobs_failed(self):
        return self._open('isp_core.isp_provisioning_job_action', [('state', '=', 'failed')],
                          self.env._("Failed jobs"))

    def action_open_jobs_waiting(self):
        return self._open('isp_core.isp_provisioning_job_action', self._waiting_job_domain(),
                          self.env._("Jobs waiting for router"))

from odoo import api, models
from odoo.exceptions import AccessError, UserError

STAFF_GROUPS = ('isp_core.group_isp_noc', 'isp_core.group_isp_support', 'isp_core.group_isp_billing',
                'isp_core.group_isp_field')
SECTOR_BARS = 12


class IspDashboard(models.AbstractModel):
    """Data and drill-down actions of the KPI dashboard (the ``isp_core.dashboard`` client action).

    Every figure is one aggregate query, so the cost does not grow with the number of
    subscriptions. A tile is ``{key, section, label, icon, kind, value, detail, tone}``; clicking
    it calls ``action_open_tile(key)``, which runs ``action_open_<key>``. isp_billing adds its
    section and tiles by extending ``_dashboard_sections``/``_dashboard_tiles``.
    """
    _name = 'isp.dashboard'
    _description = "ISP KPI dashboard"

    # ------------------------------------------------------------------ public API (client action)

    @api.model
    def get_dashboard_data(self):
        self._check_dashboard_access()
        return {
            'currency_id': self.env.company.currency_id.id,
            'sections': self._dashboard_sections(),
            'tiles': self._dashboard_tiles(),
            'breakdowns': self._dashboard_breakdowns(),
        }

    @api.model
    def action_open_tile(self, key):
        self._check_dashboard_access()
        if key not in {tile['key'] for tile in self._dashboard_tile_specs()}:
            raise UserError(self.env._("The dashboard has no tile %(key)s.", key=key))
        return getattr(self, f'action_open_{key}')()

    @api.model
    def action_open_breakdown(self, key, value):
        """The records behind one bar of a breakdown (``value``: the grouped field's raw value)."""
        spec = self._breakdown_spec(key)
        if value is not False and (isinstance(value, bool) or not isinstance(value, (int, str))):
            raise UserError(self.env._("Invalid value for the breakdown %(key)s.", key=key))
        domain = list(spec['domain']) + [(spec['groupby'], '=', value)]
        return self._open(spec['action'], domain, spec['title'])

    @api.model
    def action_open_analysis(self, key):
        """The native graph and pivot views of a breakdown, grouped the same way."""
        spec = self._breakdown_spec(key)
        return self._open(spec['action'], list(spec['domain']), spec['title'],
                          views=['graph', 'pivot', 'list', 'form'],
                          context={'graph_groupbys': [spec['groupby']], 'pivot_row_groupby': [spec['groupby']]})

    @api.model
    def _breakdown_spec(self, key):
        self._check_dashboard_access()
        spec = next((spec for spec in self._dashboard_breakdown_specs() if spec['key'] == key), None)
        if spec is None:
            raise UserError(self.env._("The dashboard has no breakdown %(key)s.", key=key))
        return spec

    @api.model
    def _check_dashboard_access(self):
        if not any(self.env.user.has_group(group) for group in STAFF_GROUPS):
            raise AccessError(self.env._("Only ISP staff can open the ISP dashboard."))

    # ------------------------------------------------------------------ tiles

    @api.model
    def _dashboard_sections(self):
        return [
            {'key': 'network', 'title': self.env._("Network")},
            {'key': 'subscriptions', 'title': self.env._("Subscriptions")},
            {'key': 'tickets', 'title': self.env._("Fault tickets")},
            {'key': 'provisioning', 'title': self.env._("Provisioning")},
        ]

    @api.model
    def _dashboard_tile_specs(self):
        """Tiles in display order (within their section), without their figures."""
        _ = self.env._
        return [
            {'key': 'outages', 'section': 'network', 'label': _("Outages"), 'icon': 'fa-bolt', 'kind': 'integer',
             'tone': 'danger'},
            {'key': 'customers_affected', 'section': 'network', 'label': _("Customers affected"),
             'icon': 'fa-users', 'kind': 'integer', 'tone': 'danger'},
            {'key': 'active', 'section': 'subscriptions', 'label': _("Active"), 'icon': 'fa-check-circle',
             'kind': 'integer'},
            {'key': 'suspended', 'section': 'subscriptions', 'label': _("Suspended"), 'icon': 'fa-ban',
             'kind': 'integer', 'tone': 'warning'},
            {'key': 'overdue', 'section': 'subscriptions', 'label': _("Overdue"), 'icon': 'fa-exclamation-triangle',
             'kind': 'integer', 'tone': 'danger'},
            {'key': 'draft', 'section': 'subscriptions', 'label': _("To install"), 'icon': 'fa-wrench',
             'kind': 'integer'},
            {'key': 'mrr', 'section': 'subscriptions', 'label': _("MRR"), 'icon': 'fa-money', 'kind': 'monetary'},
            {'key': 'tickets', 'section': 'tickets', 'label': _("Open tickets"), 'icon': 'fa-life-ring',
             'kind': 'integer'},
            {'key': 'overdue_tickets', 'section': 'tickets', 'label': _("Past SLA"), 'icon': 'fa-clock-o',
             'kind': 'integer', 'tone': 'danger'},
            {'key': 'tickets_sla', 'section': 'tickets', 'label': _("SLA compliance"), 'icon': 'fa-line-chart',
             'kind': 'percent'},
            {'key': 'jobs_failed', 'section': 'provisioning', 'label': _("Failed jobs"), 'icon': 'fa-times-circle',
             'kind': 'integer', 'tone': 'danger'},
            {'key': 'jobs_waiting', 'section': 'provisioning', 'label': _("Waiting for router"), 'icon': 'fa-plug',
             'kind': 'integer', 'tone': 'warning'},
        ]

    @api.model
    def _dashboard_tiles(self):
        """The tiles with their figures: ``_kpi_values`` gives each tile's value (and optional detail)."""
        values = self._kpi_values()
        tiles = []
        for spec in self._dashboard_tile_specs():
            figure = values[spec['key']]
            value, detail = figure if isinstance(figure, tuple) else (figure, None)
            tone = spec.get('tone') if value else None
            tiles.append(dict(spec, value=value, detail=detail, tone=tone))
        return tiles

    @api.model
    def _kpi_values(self):
        by_state = dict(self.env['isp.subscription']._read_group([], ['state'], ['__count']))
        jobs = self.env['isp.provisioning_job']
        tickets = self.env['isp.fault.ticket']
        outages = self.env['isp.outage'].search([])
        return {
            'outages': len(outages),
            'customers_affected': self.env['isp.subscription'].search_count(outages._affected_subscription_domain()),
            'active': by_state.get('active', 0),
            'suspended': by_state.get('suspended', 0),
            'draft': by_state.get('draft', 0),
            'overdue': self._kpi_overdue_count(),
            'mrr': self._kpi_mrr(),
            'tickets': tickets.search_count(self._open_ticket_domain()),
            'overdue_tickets': tickets.search_count([('is_overdue', '=', True)]),
            'tickets_sla': self._kpi_sla_compliance(),
            'jobs_failed': jobs.search_count([('state', '=', 'failed')]),
            'jobs_waiting': jobs.search_count(self._waiting_job_domain()),
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

    # ------------------------------------------------------------------ breakdowns (bar lists)

    @api.model
    def _dashboard_breakdown_specs(self):
        _ = self.env._
        live = [('state', 'in', ('draft', 'active', 'suspended'))]
        return [
            {'key': 'subscriptions_by_state', 'title': _("Subscriptions by state"), 'model': 'isp.subscription',
             'groupby': 'state', 'domain': [], 'action': 'isp_core.isp_subscription_action'},
            {'key': 'subscriptions_by_sector', 'title': _("Live subscriptions by sector"),
             'model': 'isp.subscription', 'groupby': 'sector_id', 'domain': live,
             'action': 'isp_core.isp_subscription_action', 'limit': SECTOR_BARS},
            {'key': 'subscriptions_by_plan', 'title': _("Live subscriptions by plan"), 'model': 'isp.subscription',
             'groupby': 'plan_id', 'domain': live, 'action': 'isp_core.isp_subscription_action',
             'limit': SECTOR_BARS},
            {'key': 'tickets_by_sla', 'title': _("Tickets by SLA"), 'model': 'isp.fault.ticket',
             'groupby': 'sla_status', 'domain': [('state', '!=', 'cancelled')],
             'action': 'isp_core.isp_fault_ticket_action'},
        ]

    @api.model
    def _dashboard_breakdowns(self):
        """One ``_read_group`` per breakdown: bars sorted by count, the largest first."""
        breakdowns = []
        for spec in self._dashboard_breakdown_specs():
            Model = self.env[spec['model']]
            field = Model._fields[spec['groupby']]
            groups = Model._read_group(spec['domain'], [spec['groupby']], ['__count'], order='__count desc')
            bars = []
            for group, count in groups:
                if field.type == 'many2one':
                    value, label = group.id or False, group.display_name if group else self.env._("None")
                else:
                    label = dict(field._description_selection(self.env)).get(group, self.env._("None"))
                    value = group or False
                bars.append({'value': value, 'label': label, 'count': count})
            limit = spec.get('limit')
            breakdowns.append({
                'key': spec['key'],
                'title': spec['title'],
                'total': sum(bar['count'] for bar in bars),
                'bars': bars[:limit] if limit else bars,
                'hidden': max(0, len(bars) - limit) if limit else 0,
            })
        return breakdowns

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

    def action_open_outages(self):
        return self._open('isp_core.isp_outage_action', [], self.env._("Outages"))

    def action_open_customers_affected(self):
        return self.env['isp.outage'].search([]).action_view_affected_customers()

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

from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

DEFAULT_BURST_TICKETS = 3
DEFAULT_BURST_MINUTES = 30


class IspOutage(models.Model):
    """What the NOC looks at first: the offline routers, and the routers and sectors where fault tickets
    pile up (at least ``isp_core.outage_ticket_threshold`` opened within the last
    ``isp_core.outage_window_minutes``), each with the active customers behind it.

    A database view computed at each read, so it is never stale; a router's row stands for its own
    customers, a sector's for all the sector's (they overlap when both have a burst).
    """
    _name = 'isp.outage'
    _description = "Network outage"
    _auto = False
    _order = 'affected_count desc, id'
    # Flushed before the view is read.
    _depends = {
        'isp.device': ['status', 'active', 'sector_id', 'last_seen', 'gps_lat', 'gps_lng'],
        'isp.sector': ['gps_lat', 'gps_lng'],
        'isp.subscription': ['state', 'device_id', 'sector_id'],
        'isp.fault.ticket': ['opened_at', 'state', 'subscription_id', 'sector_id'],
    }

    kind = fields.Selection(
        [('router_offline', "Router offline"), ('ticket_burst', "Ticket burst")], readonly=True)
    device_id = fields.Many2one('isp.device', string="Router", readonly=True)
    sector_id = fields.Many2one('isp.sector', string="Sector", readonly=True)
    affected_count = fields.Integer("Customers affected", readonly=True,
                                    help="Active subscriptions behind the router, or in the sector.")
    ticket_count = fields.Integer("Recent tickets", readonly=True,
                                  help="Fault tickets opened within the burst window (cancelled ones aside).")
    since = fields.Datetime(
        readonly=True, help="For an offline router, when it last answered; for a burst, its first ticket.")
    gps_lat = fields.Float("Latitude", digits=(10, 7), readonly=True)
    gps_lng = fields.Float("Longitude", digits=(10, 7), readonly=True)

    @property
    def _table_query(self):
        threshold, window = self._burst_settings()
        since = fields.Datetime.now() - timedelta(minutes=window)
        return SQL(
            """
            WITH recent AS (
                SELECT ticket.sector_id, sub.device_id, ticket.opened_at
                  FROM isp_fault_ticket ticket
                  JOIN isp_subscription sub ON sub.id = ticket.subscription_id
                 WHERE ticket.opened_at >= %(since)s AND ticket.state != 'cancelled'
            ), by_router AS (
                SELECT device_id, count(*) AS tickets, min(opened_at) AS first_at
                  FROM recent WHERE device_id IS NOT NULL GROUP BY device_id
            ), by_sector AS (
                SELECT sector_id, count(*) AS tickets, min(opened_at) AS first_at
                  FROM recent WHERE sector_id IS NOT NULL GROUP BY sector_id
            )
            SELECT device.id * 2 AS id,
                   CASE WHEN device.status = 'offline' THEN 'router_offline' ELSE 'ticket_burst' END AS kind,
                   device.id AS device_id,
                   device.sector_id,
                   (SELECT count(*) FROM isp_subscription sub
                     WHERE sub.device_id = device.id AND sub.state = 'active') AS affected_count,
                   COALESCE(by_router.tickets, 0) AS ticket_count,
                   CASE WHEN device.status = 'offline' THEN device.last_seen ELSE by_router.first_at END AS since,
                   device.gps_lat,
                   device.gps_lng
              FROM isp_device device
              LEFT JOIN by_router ON by_router.device_id = device.id
             WHERE device.active AND (device.status = 'offline' OR by_router.tickets >= %(threshold)s)
            UNION ALL
            SELECT sector.id * 2 + 1,
                   'ticket_burst',
                   NULL,
                   sector.id,
                   (SELECT count(*) FROM isp_subscription sub
                     WHERE sub.sector_id = sector.id AND sub.state = 'active'),
                   by_sector.tickets,
                   by_sector.first_at,
                   sector.gps_lat,
                   sector.gps_lng
              FROM by_sector
              JOIN isp_sector sector ON sector.id = by_sector.sector_id
             WHERE by_sector.tickets >= %(threshold)s
            """,
            since=since, threshold=threshold)

    @api.depends('kind', 'device_id', 'sector_id', 'ticket_count')
    def _compute_display_name(self):
        for outage in self:
            place = outage.device_id.display_name or outage.sector_id.display_name
            if outage.kind == 'router_offline':
                outage.display_name = self.env._("%(router)s is offline", router=place)
            else:
                outage.display_name = self.env._("%(place)s: %(count)s tickets", place=place,
                                                 count=outage.ticket_count)

    # ------------------------------------------------------------------ actions

    def action_view_affected_customers(self):
        return self._affected_customers_action(
            self._affected_subscription_domain(), self.display_name if len(self) == 1 else None)

    def action_view_tickets(self):
        self.ensure_one()
        _threshold, window = self._burst_settings()
        place = (Domain('subscription_id.device_id', '=', self.device_id.id) if self.device_id
                 else Domain('sector_id', '=', self.sector_id.id))
        action = self.env['ir.actions.act_window']._for_xml_id('isp_core.isp_fault_ticket_action')
        action['domain'] = list(place & Domain([
            ('opened_at', '>=', fields.Datetime.now() - timedelta(minutes=window)),
            ('state', '!=', 'cancelled')]))
        action['display_name'] = self.display_name
        return action

    # ------------------------------------------------------------------ business

    def _affected_subscription_domain(self):
        """The active subscriptions behind these outages (the union of their routers and sectors)."""
        places = [Domain('device_id', '=', outage.device_id.id) if outage.device_id
                  else Domain('sector_id', '=', outage.sector_id.id) for outage in self]
        return Domain('state', '=', 'active') & Domain.OR(places) if places else Domain.FALSE

    @api.model
    def _affected_customers_action(self, domain, name=None):
        """The subscriptions of ``domain`` on the map first (where the outage is), then as a list."""
        action = self.env['ir.actions.act_window']._for_xml_id('isp_core.isp_subscription_action')
        action.update({
            'domain': list(domain),
            'views': [(False, 'isp_map'), (False, 'list'), (False, 'form')],
            'view_mode': 'isp_map,list,form',
            'context': {'create': False},
        })
        action['display_name'] = name or self.env._("Customers affected")
        return action

    @api.model
    def _burst_settings(self):
        """``(tickets, minutes)``: how many tickets within how many minutes make a burst (the settings, or
        the defaults when unset or not a positive integer)."""
        params = self.env['ir.config_parameter'].sudo()
        values = []
        for key, default in (('isp_core.outage_ticket_threshold', DEFAULT_BURST_TICKETS),
                             ('isp_core.outage_window_minutes', DEFAULT_BURST_MINUTES)):
            try:
                value = int(params.get_param(key) or default)
            except ValueError:
                value = default
            values.append(value if value > 0 else default)
        return tuple(values)

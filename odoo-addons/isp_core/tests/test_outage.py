from datetime import datetime, timedelta

from odoo.fields import Domain
from odoo.tests import freeze_time, tagged

from .common import IspCoreCase

NOW = datetime(2026, 5, 4, 12, 0, 0)


@tagged('post_install', '-at_install')
@freeze_time(NOW)
class TestOutage(IspCoreCase):
    """Router A (sector Los Cacaos) serves three active customers, a draft and a suspended one;
    router B (El Higüero) two active ones. A burst is 3 tickets within 30 minutes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env['ir.config_parameter'].sudo()
        params.set_param('isp_core.outage_ticket_threshold', '3')
        params.set_param('isp_core.outage_window_minutes', '30')
        cls.subs_a = cls.env['isp.subscription'].browse()
        for _i in range(3):
            cls.subs_a |= cls._make_sub(cls.device, active=True)
        cls.draft_a = cls._make_sub(cls.device)
        cls.suspended_a = cls._make_sub(cls.device, active=True)
        cls.suspended_a.action_suspend()
        cls.subs_b = cls._make_sub(cls.device_b, active=True) | cls._make_sub(cls.device_b, active=True)

    @classmethod
    def _make_sub(cls, device, active=False):
        cls._mac_counter += 1
        sub = cls.env['isp.subscription'].create({
            'partner_id': cls.partner.id, 'plan_id': cls.plan.id, 'sector_id': device.sector_id.id,
            'device_id': device.id, 'service_mac': '02:00:00:0F:%02X:%02X' % divmod(cls._mac_counter, 256),
            'gps_lat': 18.4861, 'gps_lng': -69.9312})
        if active:
            sub.action_activate()
        return sub

    def _tickets(self, subs, minutes_ago, state=None):
        tickets = self.env['isp.fault.ticket'].create([
            {'partner_id': self.partner.id, 'subscription_id': sub.id} for sub in subs])
        # opened_at is readonly in the form, not for the ORM: a ticket reported that long ago.
        tickets.write({'opened_at': NOW - timedelta(minutes=minutes_ago)})
        if state:
            tickets.write({'state': state})
        return tickets

    def _outages(self, user=None):
        Outage = self.env['isp.outage']
        # The view is recomputed at each read; the cache of an earlier read in this transaction is not.
        Outage.invalidate_model()
        # The test's own sectors: a database with demo data has routers of its own.
        return (Outage.with_user(user) if user else Outage).search(
            [('sector_id', 'in', (self.sector | self.sector_b).ids)])

    def test_outage_none_when_all_is_well(self):
        self.device.status = 'online'
        self._tickets(self.subs_a[:2], 5)
        self.assertFalse(self._outages())
        self.assertFalse(self.device.in_outage)
        self.assertEqual(self.device.affected_customer_count, 3)

    def test_outage_offline_router_counts_its_active_customers(self):
        self.device.write({'status': 'offline', 'last_seen': NOW - timedelta(minutes=7)})
        self._tickets(self.subs_a[:1], 3)
        outage = self._outages()
        self.assertEqual(len(outage), 1)
        self.assertEqual(outage.kind, 'router_offline')
        self.assertEqual((outage.device_id, outage.sector_id), (self.device, self.sector))
        self.assertEqual(outage.affected_count, 3)  # neither the draft nor the suspended one
        self.assertEqual(outage.ticket_count, 1)
        self.assertEqual(outage.since, NOW - timedelta(minutes=7))
        self.assertEqual(outage.display_name, "Router A is offline")
        self.assertTrue(self.device.in_outage)
        self.assertFalse(self.device_b.in_outage)

    def test_outage_archived_or_erroring_router_is_not_an_outage(self):
        self.device.status = 'error'
        self.device_b.write({'status': 'offline', 'active': False})
        self.assertFalse(self._outages())

    def test_outage_ticket_burst_on_router_and_sector(self):
        self.device.status = 'online'
        self._tickets(self.subs_a, 25)  # 3 within the window
        self._tickets(self.subs_a[:2], 45)  # too old
        outages = self._outages()
        self.assertEqual(sorted(outages.mapped('kind')), ['ticket_burst', 'ticket_burst'])
        router = outages.filtered('device_id')
        sector = outages - router
        self.assertEqual((router.device_id, router.ticket_count, router.affected_count), (self.device, 3, 3))
        self.assertEqual((sector.sector_id, sector.ticket_count, sector.affected_count), (self.sector, 3, 3))
        self.assertFalse(sector.device_id)
        self.assertEqual(router.since, NOW - timedelta(minutes=25))
        self.assertEqual(router.display_name, "Router A: 3 tickets")

    def test_outage_burst_threshold_and_window_are_settings(self):
        self._tickets(self.subs_a, 25)
        self._tickets(self.subs_a[:1], 50, state='cancelled')
        params = self.env['ir.config_parameter'].sudo()
        params.set_param('isp_core.outage_ticket_threshold', '4')
        self.assertFalse(self._outages())
        self._tickets(self.subs_a[:1], 50)
        params.set_param('isp_core.outage_window_minutes', '60')
        # 4 tickets within the hour (the cancelled one aside) on router A and its sector.
        self.assertEqual(sorted(self._outages().mapped('ticket_count')), [4, 4])
        # Unset or nonsense settings fall back to 3 tickets in 30 minutes.
        params.set_param('isp_core.outage_ticket_threshold', 'many')
        params.set_param('isp_core.outage_window_minutes', '-5')
        self.assertEqual(self.env['isp.outage']._burst_settings(), (3, 30))
        self.assertEqual(sorted(self._outages().mapped('ticket_count')), [3, 3])

    def test_outage_sector_burst_spread_over_routers(self):
        router_a2 = self.env['isp.device'].create({'name': "Router A2", 'sector_id': self.sector.id})
        other = self._make_sub(router_a2, active=True)
        self._tickets(self.subs_a[:2] | other, 10)
        outage = self._outages()
        self.assertEqual(len(outage), 1, "no router has 3 tickets, the sector has")
        self.assertEqual((outage.sector_id, outage.ticket_count, outage.affected_count), (self.sector, 3, 4))

    def test_outage_actions_open_the_right_records(self):
        self.device.status = 'offline'
        self.device_b.status = 'online'
        self._tickets(self.subs_b, 5)
        self._tickets(self.subs_b[:1], 6)
        offline = self._outages().filtered(lambda o: o.kind == 'router_offline')
        action = offline.action_view_affected_customers()
        self.assertEqual(action['res_model'], 'isp.subscription')
        self.assertEqual(action['view_mode'], 'isp_map,list,form')
        self.assertEqual([view for _id, view in action['views']], ['isp_map', 'list', 'form'])
        Subscription = self.env['isp.subscription']
        self.assertEqual(Subscription.search(action['domain']), self.subs_a)
        sector_burst = self._outages().filtered(lambda o: o.kind == 'ticket_burst' and not o.device_id)
        self.assertEqual(Subscription.search(sector_burst.action_view_affected_customers()['domain']), self.subs_b)
        tickets = self.env['isp.fault.ticket'].search(sector_burst.action_view_tickets()['domain'])
        self.assertEqual(len(tickets), 3)
        self.assertEqual(tickets.subscription_id, self.subs_b)
        # All outages at once: the union, each customer once.
        everything = self._outages().action_view_affected_customers()
        self.assertEqual(Subscription.search(everything['domain']), self.subs_a | self.subs_b)
        self.assertEqual(self.env['isp.outage'].browse()._affected_subscription_domain(), Domain.FALSE)

    def test_outage_router_smart_button(self):
        self.device.status = 'offline'
        action = self.device.action_view_affected_customers()
        self.assertEqual(self.env['isp.subscription'].search(action['domain']), self.subs_a)
        self.assertEqual(action['views'][0], (False, 'isp_map'))
        self.assertEqual(self.device.affected_customer_count, 3)

    def test_outage_sector_staff_see_their_sectors_only(self):
        self.device.status = 'offline'
        self.device_b.status = 'offline'
        self.noc_user.isp_sector_ids = self.sector_b
        self.assertEqual(self._outages(self.noc_user).device_id, self.device_b)
        self.assertEqual(self._outages(self.admin_user).device_id, self.device | self.device_b)
        self.assertEqual(len(self._outages(self.field_user)), 2)

    def test_outage_dashboard_tiles(self):
        dashboard = self.env['isp.dashboard']

        def tiles():
            self.env['isp.outage'].invalidate_model()
            return {tile['key']: tile for tile in dashboard.get_dashboard_data()['tiles']}

        before = tiles()
        self.device.status = 'offline'
        self._tickets(self.subs_b, 5)
        self._tickets(self.subs_b[:1], 6)
        after = tiles()
        # Router A offline; router B and sector El Higüero with a burst.
        self.assertEqual(after['outages']['value'] - before['outages']['value'], 3)
        self.assertEqual(after['outages']['section'], 'network')
        self.assertEqual(after['outages']['tone'], 'danger')
        self.assertEqual(after['customers_affected']['value'] - before['customers_affected']['value'], 5)
        action = dashboard.action_open_tile('outages')
        self.assertEqual(action['res_model'], 'isp.outage')
        action = dashboard.action_open_tile('customers_affected')
        self.assertLessEqual(self.subs_a | self.subs_b, self.env['isp.subscription'].search(action['domain']))
        self.assertFalse((self.draft_a | self.suspended_a) & self.env['isp.subscription'].search(action['domain']))
        self.device.status = 'online'
        self.env['isp.fault.ticket'].search([('subscription_id', 'in', self.subs_b.ids)]).state = 'cancelled'
        self.assertEqual(tiles()['outages']['value'], before['outages']['value'])

    def test_outage_on_the_map(self):
        self.sector.write({'gps_lat': 18.5, 'gps_lng': -69.9})
        self.device.write({'status': 'offline', 'gps_lat': 18.49, 'gps_lng': -69.93})
        self._tickets(self.subs_a, 5)
        # The offline router where it stands, the sector's burst at the sector's position.
        self.assertEqual(sorted((o.gps_lat, o.gps_lng, o.kind) for o in self._outages(self.noc_user)),
                         [(18.49, -69.93, 'router_offline'), (18.5, -69.9, 'ticket_burst')])
        action = self.env['ir.actions.act_window']._for_xml_id('isp_core.isp_outage_action')
        self.assertEqual(action['view_mode'], 'list,isp_map,form')
        arch = self.env['isp.outage'].with_user(self.noc_user).get_views([(False, 'isp_map')])['views']['isp_map']
        self.assertIn('status="kind"', arch['arch'])

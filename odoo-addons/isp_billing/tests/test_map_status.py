from datetime import date

from odoo import Command
from odoo.tests import freeze_time, new_test_user, tagged

from odoo.addons.isp_billing.tests.common import IspBillingCase


@tagged('post_install', '-at_install')
class TestMapStatus(IspBillingCase):
    """The map's 'overdue': an active subscription with an unpaid invoice past its due date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.late = cls._subscription(cls, start=date(2026, 4, 17), billing_day=17, gps_lat=18.49, gps_lng=-69.93)
        cls.on_time = cls._subscription(cls, start=date(2026, 5, 22), billing_day=22, partner=cls.customer_b)
        cls.waiting = cls._subscription(cls, activate=False)
        for sub, start in ((cls.late, date(2026, 4, 17)), (cls.on_time, date(2026, 5, 22))):
            with freeze_time(f'{start} 12:00'):
                sub.next_invoice_date = start
                sub._create_period_invoices(start)
        cls.subs = cls.late | cls.on_time | cls.waiting

    def _statuses(self, user=None):
        model = self.env['isp.subscription'].with_user(user) if user else self.env['isp.subscription']
        groups = model.isp_map_read([('id', 'in', self.subs.ids)], 'gps_lat', 'gps_lng', 'map_status')['groups']
        return {id_: status for status, ids, _lats, _lngs in groups for id_ in ids}

    @freeze_time('2026-06-01 12:00')
    def test_map_overdue_status(self):
        expected = {self.late.id: 'overdue', self.on_time.id: 'overdue', self.waiting.id: 'to_install'}
        # Immediate payment terms: both invoices are due; the May one is paid.
        invoice = self._invoices(self.on_time)
        self.env['account.payment.register'].with_context(
            active_model='account.move', active_ids=invoice.ids).create({})._create_payments()
        expected[self.on_time.id] = 'active'
        self.assertEqual(self._statuses(), expected)
        self.assertEqual({sub.id: sub.map_status for sub in self.subs}, expected)
        groups = self.env['isp.subscription'].isp_map_read(
            [('id', 'in', self.subs.ids)], 'gps_lat', 'gps_lng', 'map_status')['groups']
        self.assertIn(['overdue', [self.late.id], [18.49], [-69.93]], groups, "positions follow their ids")
        search = self.env['isp.subscription'].search
        self.assertEqual(search([('id', 'in', self.subs.ids), ('map_status', '=', 'overdue')]), self.late)
        self.assertEqual(search([('id', 'in', self.subs.ids), ('map_status', '=', 'active')]), self.on_time)
        self.assertEqual(search([('id', 'in', self.subs.ids), ('map_status', 'in', ['active', 'to_install'])]),
                         self.on_time | self.waiting)

    @freeze_time('2026-06-01 12:00')
    def test_map_overdue_for_staff_without_accounting_rights(self):
        company = self.env.company
        noc = new_test_user(self.env, 'map_noc', groups='isp_core.group_isp_noc', company_id=company.id,
                            company_ids=[Command.set(company.ids)])
        self.assertEqual(self._statuses(noc)[self.late.id], 'overdue')

    def test_map_view_colours_overdue(self):
        view = self.env.ref('isp_core.isp_subscription_view_map')
        arch = self.env['isp.subscription'].get_views([(view.id, 'isp_map')])['views']['isp_map']['arch']
        self.assertIn('overdue:warning', arch)

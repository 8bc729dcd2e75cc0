from datetime import date

from odoo import Command
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import format_amount

from odoo.addons.isp_billing.tests.common import IspBillingCase


@tagged('post_install', '-at_install')
class TestDashboard(IspBillingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env['isp.dashboard']
        # Invoices issued (and due, immediate terms) 10, 45 and 90 days before 2026-06-01, one current.
        cls.sub_a = cls._subscription(cls, start=date(2026, 2, 21), billing_day=21)
        cls.sub_b = cls._subscription(cls, start=date(2026, 4, 17), billing_day=17, partner=cls.customer_b)
        cls.sub_paid = cls._subscription(cls, start=date(2026, 5, 22), billing_day=22, plan=cls.plan_taxed)
        cls.old = cls._invoice_period(cls.sub_a, date(2026, 3, 3))       # 90 days overdue
        cls.mid = cls._invoice_period(cls.sub_b, date(2026, 4, 17))      # 45 days overdue
        cls.recent = cls._invoice_period(cls.sub_a, date(2026, 5, 22))   # 10 days overdue
        cls.current = cls._invoice_period(cls.sub_paid, date(2026, 5, 22))
        cls.env['account.payment.register'].with_context(
            active_model='account.move', active_ids=cls.current.ids).create({})._create_payments()

    @classmethod
    def _invoice_period(cls, sub, start):
        with freeze_time(f'{start} 12:00'):
            sub.next_invoice_date = start
            return sub._create_period_invoices(start)

    def _tiles(self, user=None):
        dashboard = self.dashboard.with_user(user) if user else self.dashboard
        return {tile['key']: tile for tile in dashboard.get_dashboard_data()['tiles']}

    @freeze_time('2026-06-01 12:00')
    def test_dashboard_overdue_and_aging(self):
        tiles = self._tiles()
        figures = {key: (tiles[key]['value'], tiles[key]['detail'])
                   for key in ('overdue_invoices', 'aging_0_30', 'aging_31_60', 'aging_60_plus')}
        self.assertEqual(tiles['overdue']['value'], 2)
        self.assertEqual(figures, {
            'overdue_invoices': (self.old.amount_residual + self.mid.amount_residual + self.recent.amount_residual,
                                 "3 invoice(s)"),
            'aging_0_30': (self.recent.amount_residual, "1 invoice(s)"),
            'aging_31_60': (self.mid.amount_residual, "1 invoice(s)"),
            'aging_60_plus': (self.old.amount_residual, "1 invoice(s)"),
        })
        self.assertEqual(tiles['aging_60_plus']['section'], 'billing')
        sections = [section['key'] for section in self.env['isp.dashboard'].get_dashboard_data()['sections']]
        self.assertEqual(sections.index('billing'), sections.index('subscriptions') + 1)
        self.assertEqual(tiles['aging_60_plus']['kind'], 'monetary')

    @freeze_time('2026-06-01 12:00')
    def test_dashboard_billing_figures_for_staff_without_accounting_rights(self):
        company = self.env.company
        noc = new_test_user(self.env, 'dashboard_noc', groups='isp_core.group_isp_noc', company_id=company.id,
                            company_ids=[Command.set(company.ids)])
        tiles = self._tiles(noc)
        self.assertEqual(tiles['overdue_invoices']['detail'], "3 invoice(s)")

    @freeze_time('2026-06-01 12:00')
    def test_dashboard_mrr_from_posted_invoices_of_current_periods(self):
        # sub_a's May 22 invoice covers 22/05-20/06 (prorated); sub_paid's covers 22/05-21/06; sub_b's ended.
        mrr = self._tiles()['mrr']
        self.assertAlmostEqual(mrr['value'], self.recent.amount_untaxed + self.current.amount_untaxed)
        # The contracted figure (plan prices of active subscriptions) stays visible beside it.
        contracted = self.env['isp.dashboard']._kpi_contracted_mrr()
        expected = format_amount(self.env, contracted, self.env.company.currency_id)
        self.assertEqual(mrr['detail'], f"contracted: {expected}")

    @freeze_time('2026-06-01 12:00')
    def test_dashboard_drill_down_lists_the_counted_records(self):
        Move = self.env['account.move']
        open_tile = self.dashboard.action_open_tile
        self.assertEqual(Move.search(open_tile('aging_60_plus')['domain']), self.old)
        self.assertEqual(Move.search(open_tile('aging_31_60')['domain']), self.mid)
        self.assertEqual(Move.search(open_tile('aging_0_30')['domain']), self.recent)
        self.assertEqual(Move.search(open_tile('overdue_invoices')['domain']), self.old | self.mid | self.recent)
        self.assertEqual(Move.search(open_tile('mrr')['domain']), self.recent | self.current)
        self.assertEqual(open_tile('transfers_review')['res_model'], 'isp.bank.transfer.payment')
        overdue_subs = self.env['isp.subscription'].search(open_tile('overdue')['domain'])
        self.assertEqual(overdue_subs, self.sub_a | self.sub_b)

    def _kpi_query_count(self):
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        self.dashboard.get_dashboard_data()
        return self.cr.sql_log_count - before

    @freeze_time('2026-06-01 12:00')
    def test_dashboard_kpis_cost_does_not_grow_with_data(self):
        self._kpi_query_count()
        baseline = self._kpi_query_count()
        for partner in (self.customer, self.customer_b) * 5:
            sub = self._subscription(start=date(2026, 4, 1), partner=partner)
            self._invoice_period(sub, date(2026, 4, 1))
        self.assertEqual(self._kpi_query_count(), baseline)

from datetime import date

from odoo.tests import freeze_time, tagged

from odoo.addons.isp_billing.tests.common import IspBillingCase


@tagged('post_install', '-at_install')
class TestDashboard(IspBillingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref('isp_core.isp_dashboard_main')
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

    @freeze_time('2026-06-01 12:00')
    def test_dashboard_overdue_and_aging(self):
        self.dashboard.invalidate_recordset()
        self.assertRecordValues(self.dashboard, [{
            'overdue_count': 2,
            'overdue_invoice_count': 3,
            'overdue_amount': self.old.amount_residual + self.mid.amount_residual + self.recent.amount_residual,
            'aging_0_30_count': 1, 'aging_0_30_amount': self.recent.amount_residual,
            'aging_31_60_count': 1, 'aging_31_60_amount': self.mid.amount_residual,
            'aging_60_plus_count': 1, 'aging_60_plus_amount': self.old.amount_residual,
        }])

    @freeze_time('2026-06-01 12:00')
    def test_dashboard_mrr_from_posted_invoices_of_current_periods(self):
        # sub_a's May 22 invoice covers 22/05-20/06 (prorated); sub_paid's covers 22/05-21/06; sub_b's ended.
        self.dashboard.invalidate_recordset()
        self.assertAlmostEqual(self.dashboard.mrr, self.recent.amount_untaxed + self.current.amount_untaxed)

    @freeze_time('2026-06-01 12:00')
    def test_dashboard_drill_down_lists_the_counted_records(self):
        Move = self.env['account.move']
        self.assertEqual(Move.search(self.dashboard.action_open_aging_60_plus()['domain']), self.old)
        self.assertEqual(Move.search(self.dashboard.action_open_aging_31_60()['domain']), self.mid)
        self.assertEqual(Move.search(self.dashboard.action_open_aging_0_30()['domain']), self.recent)
        self.assertEqual(Move.search(self.dashboard.action_open_overdue_invoices()['domain']),
                         self.old | self.mid | self.recent)
        self.assertEqual(Move.search(self.dashboard.action_open_mrr()['domain']), self.recent | self.current)
        overdue_subs = self.env['isp.subscription'].search(self.dashboard.action_open_overdue()['domain'])
        self.assertEqual(overdue_subs, self.sub_a | self.sub_b)

    def _kpi_query_count(self):
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        self.dashboard.read(['overdue_amount', 'mrr', 'overdue_count'])
        return self.cr.sql_log_count - before

    @freeze_time('2026-06-01 12:00')
    def test_dashboard_kpis_cost_does_not_grow_with_data(self):
        self._kpi_query_count()
        baseline = self._kpi_query_count()
        for partner in (self.customer, self.customer_b) * 5:
            sub = self._subscription(start=date(2026, 4, 1), partner=partner)
            self._invoice_period(sub, date(2026, 4, 1))
        self.assertEqual(self._kpi_query_count(), baseline)

from datetime import date

from odoo.tests import BaseCase, tagged

from odoo.addons.isp_billing.tools.billing_period import clamp_day, next_billing_date, period_for, suspension_cutoff


@tagged('post_install', '-at_install')
class TestBillingPeriod(BaseCase):

    def test_period_full_month_from_billing_day(self):
        self.assertEqual(period_for(date(2026, 3, 1), 1), (date(2026, 3, 31), 31, 31))
        self.assertEqual(period_for(date(2026, 2, 15), 15), (date(2026, 3, 14), 28, 28))

    def test_period_first_one_prorated(self):
        self.assertEqual(period_for(date(2026, 3, 15), 1), (date(2026, 3, 31), 17, 31))
        # Starting just after the billing day: almost a full period, up to the next billing day.
        self.assertEqual(period_for(date(2026, 1, 6), 5), (date(2026, 2, 4), 30, 31))

    def test_period_crosses_year(self):
        self.assertEqual(next_billing_date(date(2026, 12, 20), 10), date(2027, 1, 10))
        self.assertEqual(period_for(date(2026, 12, 10), 10), (date(2027, 1, 9), 31, 31))

    def test_suspension_cutoff_day_and_grace(self):
        # Day 10, no grace: on the 9th only last month's invoices issued before the 10th count.
        self.assertEqual(suspension_cutoff(date(2026, 3, 9), 10, 0), date(2026, 2, 10))
        self.assertEqual(suspension_cutoff(date(2026, 3, 10), 10, 0), date(2026, 3, 10))
        self.assertEqual(suspension_cutoff(date(2026, 3, 12), 10, 3), date(2026, 2, 10))
        self.assertEqual(suspension_cutoff(date(2026, 3, 13), 10, 3), date(2026, 3, 10))
        self.assertEqual(suspension_cutoff(date(2026, 1, 5), 10, 0), date(2025, 12, 10))

    def test_clamp_day(self):
        self.assertEqual(clamp_day('31', 10), 28)
        self.assertEqual(clamp_day('0', 10), 1)
        self.assertEqual(clamp_day('ten', 10), 10)
        self.assertEqual(clamp_day(None, 10), 10)

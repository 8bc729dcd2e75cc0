from datetime import date, timedelta
from unittest.mock import patch

from odoo.tests import freeze_time, tagged

from odoo.addons.isp_billing.tests.common import IspBillingCase

SUSPEND = 'isp_billing.ir_cron_suspend_overdue'
RECONNECT = 'isp_billing.ir_cron_reconnect_paid'


@tagged('post_install', '-at_install')
class TestSuspension(IspBillingCase):

    def _invoiced_subscription(self, on=date(2026, 3, 1), **values):
        with freeze_time(f'{on} 12:00'):
            sub = self._subscription(start=on, **values)
            invoice = sub._create_period_invoices(on)
        return sub, invoice

    def _suspended_subscription(self, **values):
        sub, invoice = self._invoiced_subscription(**values)
        with freeze_time('2026-03-10 12:00'):
            self._run_cron(SUSPEND)
        self.assertEqual(sub.state, 'suspended')
        return sub, invoice

    def _assert_suspended_from(self, sub, day):
        """Active after the suspension cron of the day before ``day``, suspended by the one of ``day``."""
        with freeze_time(f'{day - timedelta(days=1)} 12:00'):
            self._run_cron(SUSPEND)
        self.assertEqual(sub.state, 'active', f"suspended before {day}")
        with freeze_time(f'{day} 12:00'):
            self._run_cron(SUSPEND)
        self.assertEqual(sub.state, 'suspended', f"not suspended on {day}")

    def test_suspension_on_suspension_day_with_reason_job_and_email(self):
        sub, invoice = self._invoiced_subscription()
        with freeze_time('2026-03-09 12:00'):
            self._run_cron(SUSPEND)
        self.assertEqual(sub.state, 'active')
        with freeze_time('2026-03-10 12:00'):
            self._run_cron(SUSPEND)
        self.assertRecordValues(sub, [{
            'state': 'suspended', 'suspended_for_nonpayment': True,
            'suspension_reason': f"non-payment, invoice {invoice.name}",
        }])
        self.assertTrue(invoice.name.startswith('INV/'))
        self.assertEqual(len(self._jobs(sub, 'suspend_subscription')), 1)
        tracked = sub.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == 'suspension_reason')
        self.assertEqual(tracked.new_value_char, f"non-payment, invoice {invoice.name}")
        mail = self._queued_mails(sub, 'suspended')
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn(invoice.name, str(mail.body_html))

    def test_suspension_respects_grace_days(self):
        self.env['ir.config_parameter'].sudo().set_param('isp_billing.grace_days', '3')
        sub, _invoice = self._invoiced_subscription()
        with freeze_time('2026-03-12 12:00'):
            self._run_cron(SUSPEND)
        self.assertEqual(sub.state, 'active')
        with freeze_time('2026-03-13 12:00'):
            self._run_cron(SUSPEND)
        self.assertEqual(sub.state, 'suspended')

    def test_suspension_configured_day(self):
        self.env['ir.config_parameter'].sudo().set_param('isp_billing.suspension_day', '5')
        sub, _invoice = self._invoiced_subscription()
        with freeze_time('2026-03-05 12:00'):
            self._run_cron(SUSPEND)
        self.assertEqual(sub.state, 'suspended')

    def test_suspension_invoice_issued_on_suspension_day_waits_a_month(self):
        sub, _invoice = self._invoiced_subscription(on=date(2026, 3, 10), billing_day=10)
        with freeze_time('2026-03-10 12:00'):
            self._run_cron(SUSPEND)
        self.assertEqual(sub.state, 'active')
        with freeze_time('2026-04-09 12:00'):
            self._run_cron(SUSPEND)
        self.assertEqual(sub.state, 'active')
        with freeze_time('2026-04-10 12:00'):
            self._run_cron(SUSPEND)
        self.assertEqual(sub.state, 'suspended')

    def test_suspension_invoice_issued_late_in_month_due_at_once(self):
        sub, invoice = self._invoiced_subscription(on=date(2026, 2, 28), billing_day=28)
        self.assertEqual(invoice.invoice_date_due, date(2026, 2, 28))
        self._assert_suspended_from(sub, date(2026, 3, 10))

    def test_suspension_waits_for_due_date(self):
        # Issued on the 28th with 30 days to pay: not due on 10 March, so cut on 10 April.
        self.customer.property_payment_term_id = self.env.ref('account.account_payment_term_30days')
        sub, invoice = self._invoiced_subscription(on=date(2026, 2, 28), billing_day=28)
        self.assertEqual(invoice.invoice_date_due, date(2026, 3, 30))
        self._assert_suspended_from(sub, date(2026, 4, 10))

    def test_suspension_invoice_due_on_suspension_day_waits_a_month(self):
        self.customer.property_payment_term_id = self.env.ref('account.account_payment_term_15days')
        sub, invoice = self._invoiced_subscription(on=date(2026, 2, 23), billing_day=23)
        self.assertEqual(invoice.invoice_date_due, date(2026, 3, 10))
        self._assert_suspended_from(sub, date(2026, 4, 10))

    def test_suspension_invoice_ahead_of_its_period_waits_for_the_period(self):
        sub, march = self._invoiced_subscription()
        self._pay(march)
        with freeze_time('2026-03-05 12:00'):
            sub.action_generate_invoice()
        april = self._invoices(sub) - march
        self.assertRecordValues(april, [{'invoice_date': date(2026, 3, 5), 'isp_period_start': date(2026, 4, 1)}])
        self._assert_suspended_from(sub, date(2026, 4, 10))

    def test_suspension_crosses_year_end(self):
        sub, _invoice = self._invoiced_subscription(on=date(2026, 12, 28), billing_day=28)
        self._assert_suspended_from(sub, date(2027, 1, 10))

    def test_suspension_grace_days_cross_month_end(self):
        params = self.env['ir.config_parameter'].sudo()
        params.set_param('isp_billing.suspension_day', '28')
        params.set_param('isp_billing.grace_days', '5')
        sub, _invoice = self._invoiced_subscription()
        self._assert_suspended_from(sub, date(2026, 4, 2))

    def test_suspension_skips_manual_only_and_paid(self):
        manual, _invoice = self._invoiced_subscription(manual_suspension_only=True)
        paid, paid_invoice = self._invoiced_subscription(partner=self.customer_b)
        self._pay(paid_invoice)
        with freeze_time('2026-03-10 12:00'):
            self._run_cron(SUSPEND)
        self.assertEqual((manual | paid).mapped('state'), ['active', 'active'])
        self.assertFalse(self._jobs(manual | paid, 'suspend_subscription'))

    def test_reconnection_on_full_payment(self):
        sub, invoice = self._suspended_subscription()
        with freeze_time('2026-03-11 12:00'):
            self._pay(invoice)
        self.assertEqual(invoice.payment_state, 'paid')
        self.assertRecordValues(sub, [{'state': 'active', 'suspended_for_nonpayment': False,
                                       'suspension_reason': False}])
        self.assertEqual(len(self._jobs(sub, 'reconnect_subscription')), 1)
        self.assertEqual(len(self._queued_mails(sub, 'active again')), 1)

    def test_no_reconnection_on_partial_payment(self):
        sub, invoice = self._suspended_subscription()
        with freeze_time('2026-03-11 12:00'):
            self._pay(invoice, amount=10.0)
            self._run_cron(RECONNECT)
        self.assertEqual(invoice.payment_state, 'partial')
        self.assertEqual(sub.state, 'suspended')
        self.assertFalse(self._jobs(sub, 'reconnect_subscription'))

    def test_no_reconnection_while_another_invoice_is_overdue(self):
        sub, march = self._invoiced_subscription()
        with freeze_time('2026-04-01 12:00'):
            april = sub._create_period_invoices(date(2026, 4, 1))
        with freeze_time('2026-04-10 12:00'):
            self._run_cron(SUSPEND)
            self.assertEqual(sub.state, 'suspended')
            self._pay(march)
            self.assertEqual(sub.state, 'suspended')
            self._pay(april)
        self.assertEqual(sub.state, 'active')

    def test_reconnection_ignores_invoice_not_yet_due(self):
        sub, march = self._invoiced_subscription()
        with freeze_time('2026-03-05 12:00'):
            sub.action_generate_invoice()
        with freeze_time('2026-03-10 12:00'):
            self._run_cron(SUSPEND)
        self.assertEqual(sub.state, 'suspended')
        self.assertEqual(sub.suspension_reason, f"non-payment, invoice {march.name}")
        with freeze_time('2026-03-11 12:00'):
            self._pay(march)
        self.assertEqual(sub.state, 'active')
        self.assertEqual(self._invoices(sub).mapped('payment_state'), ['paid', 'not_paid'])

    def test_no_automatic_reconnection_of_manual_suspension(self):
        sub, invoice = self._invoiced_subscription()
        sub.action_suspend()
        with freeze_time('2026-03-11 12:00'):
            self._pay(invoice)
            self._run_cron(RECONNECT)
        self.assertEqual(sub.state, 'suspended')

    def test_resync_cron_reconnects_missed_payments(self):
        sub, invoice = self._suspended_subscription()
        with freeze_time('2026-03-11 12:00'):
            with patch.object(self.registry['account.move'], '_invoice_paid_hook', lambda moves: None):
                self._pay(invoice)
            self.assertEqual(sub.state, 'suspended')
            self._run_cron(RECONNECT)
        self.assertEqual(sub.state, 'active')
        self.assertEqual(len(self._jobs(sub, 'reconnect_subscription')), 1)

    def test_manual_reconnection_clears_nonpayment_flag(self):
        sub, _invoice = self._suspended_subscription()
        sub.action_reconnect()
        self.assertRecordValues(sub, [{'state': 'active', 'suspended_for_nonpayment': False,
                                       'suspension_reason': False}])

from datetime import date
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from odoo.addons.isp_billing.tests.common import IspBillingCase

CRON = 'isp_billing.ir_cron_generate_invoices'


@tagged('post_install', '-at_install')
class TestInvoicing(IspBillingCase):

    @freeze_time('2026-03-01 12:00')
    def test_invoicing_full_period(self):
        sub = self._subscription(start=date(2026, 3, 1))
        self._run_cron(CRON)
        invoice = self._invoices(sub)
        self.assertEqual(len(invoice), 1)
        self.assertRecordValues(invoice, [{
            'state': 'posted', 'partner_id': self.customer.id, 'invoice_date': date(2026, 3, 1),
            'isp_period_start': date(2026, 3, 1), 'isp_period_end': date(2026, 3, 31), 'amount_total': 31.0,
            'invoice_origin': sub.name, 'company_id': self.env.company.id,
        }])
        self.assertEqual(invoice.invoice_line_ids.product_id, self.plan.product_id)
        self.assertEqual(sub.next_invoice_date, date(2026, 4, 1))

    @freeze_time('2026-03-05 12:00')
    def test_credit_note_stays_with_subscription(self):
        sub = self._subscription(start=date(2026, 3, 1))
        self._run_cron(CRON)
        invoice = self._invoices(sub)
        wizard = self.env['account.move.reversal'].with_context(
            active_model='account.move', active_ids=invoice.ids).create({
                'reason': "service outage", 'journal_id': invoice.journal_id.id})
        refund = self.env['account.move'].browse(wizard.refund_moves()['res_id'])
        self.assertRecordValues(refund, [{
            'move_type': 'out_refund', 'isp_subscription_id': sub.id, 'isp_period_start': False}])
        self.assertEqual(self._invoices(sub), invoice, "a credit note is not an invoice of a period")

    def test_invoicing_prorates_first_period(self):
        with freeze_time('2026-03-15 12:00'):
            sub = self._subscription(start=date(2026, 3, 15))
            self._run_cron(CRON)
        with freeze_time('2026-04-01 12:00'):
            self._run_cron(CRON)
        first, second = self._invoices(sub)
        # 17 of March's 31 days at 31.00 a month.
        self.assertRecordValues(first + second, [
            {'isp_period_start': date(2026, 3, 15), 'isp_period_end': date(2026, 3, 31), 'amount_total': 17.0},
            {'isp_period_start': date(2026, 4, 1), 'isp_period_end': date(2026, 4, 30), 'amount_total': 31.0},
        ])
        self.assertIn("17/31", first.invoice_line_ids.name)

    @freeze_time('2026-03-01 12:00')
    def test_invoicing_applies_plan_taxes(self):
        sub = self._subscription(plan=self.plan_taxed)
        self._run_cron(CRON)
        invoice = self._invoices(sub)
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.tax_sale_a)
        self.assertEqual(invoice.amount_untaxed, 100.0)
        self.assertEqual(self.plan_taxed.product_id.taxes_id, self.tax_sale_a)

    @freeze_time('2026-05-20 12:00')
    def test_invoicing_catches_up_missed_periods(self):
        sub = self._subscription(start=date(2026, 3, 10), billing_day=10)
        self._run_cron(CRON)
        self.assertEqual(self._invoices(sub).mapped('isp_period_start'),
                         [date(2026, 3, 10), date(2026, 4, 10), date(2026, 5, 10)])
        self.assertEqual(sub.next_invoice_date, date(2026, 6, 10))

    @freeze_time('2026-03-01 12:00')
    def test_invoicing_batch_numbers_continue_the_journal(self):
        """A batch looks the journal's last number up once, and numbers exactly as Odoo would."""
        Move = self.registry['account.move']
        before = self._create_invoice(partner_id=self.customer_b, post=True, invoice_line_ids=[
            Command.create({'name': "setup fee", 'quantity': 1, 'price_unit': 20.0})])
        subs = self._subscription() | self._subscription(partner=self.customer_b) | self._subscription()
        with patch.object(Move, '_get_last_sequence', autospec=True, side_effect=Move._get_last_sequence) as lookups:
            subs._create_period_invoices(date(2026, 3, 1))
        after = self._create_invoice(partner_id=self.customer_b, post=True, invoice_line_ids=[
            Command.create({'name': "router", 'quantity': 1, 'price_unit': 50.0})])
        self.assertEqual(lookups.call_count, 1)
        moves = (before | self._invoices(subs).sorted('id') | after)
        self.assertEqual(len(set(moves.mapped('sequence_prefix'))), 1)
        first = before.sequence_number
        self.assertEqual(moves.mapped('sequence_number'), list(range(first, first + 5)))
        self.assertFalse(any(moves.mapped('made_sequence_gap')))

    @freeze_time('2026-03-01 12:00')
    def test_invoicing_rerun_creates_nothing(self):
        subs = self._subscription() | self._subscription(partner=self.customer_b)
        self._run_cron(CRON)
        first = self._invoices(subs)
        self._run_cron(CRON)
        self.assertEqual(self._invoices(subs), first)
        self.assertEqual(len(first), 2)

    @freeze_time('2026-03-01 12:00')
    def test_invoicing_interrupted_run_resumes_exactly(self):
        """A run that dies after its first committed batch keeps that batch; the rerun creates the rest."""
        subs = self._subscription() | self._subscription() | self._subscription(partner=self.customer_b)
        self.env['ir.config_parameter'].sudo().set_param('isp_billing.invoice_batch_size', '1')
        model_class = self.registry['isp.subscription']
        original = model_class._create_period_invoices
        calls = []

        def crash_after_first_batch(records, today):
            calls.append(records.ids)
            if len(calls) > 1:
                raise RuntimeError("worker killed")
            return original(records, today)

        with patch.object(model_class, '_create_period_invoices', crash_after_first_batch), \
                mute_logger('odoo.addons.base.models.ir_cron'):
            self._run_cron(CRON)
        self.assertEqual(len(self._invoices(subs)), 1)
        self._run_cron(CRON)
        invoices = self._invoices(subs)
        self.assertEqual(invoices.isp_subscription_id, subs)
        self.assertEqual(len(invoices), 3)
        self._run_cron(CRON)
        self.assertEqual(self._invoices(subs), invoices)

    @freeze_time('2026-03-01 12:00')
    def test_invoicing_core_method_is_idempotent_per_period(self):
        """Setting the date back to an invoiced period advances it without a second invoice."""
        sub = self._subscription()
        today = date(2026, 3, 1)
        sub._create_period_invoices(today)
        sub.next_invoice_date = date(2026, 3, 1)
        self.assertFalse(sub._create_period_invoices(today))
        self.assertEqual(len(self._invoices(sub)), 1)
        self.assertEqual(sub.next_invoice_date, date(2026, 4, 1))

    @freeze_time('2026-03-01 12:00')
    def test_invoicing_database_refuses_second_invoice_for_period(self):
        sub = self._subscription()
        invoice = sub._create_period_invoices(date(2026, 3, 1))
        duplicate_vals = {
            'move_type': 'out_invoice', 'partner_id': self.customer.id, 'isp_subscription_id': sub.id,
            'isp_period_start': date(2026, 3, 1), 'isp_period_end': date(2026, 3, 31),
            'invoice_line_ids': [Command.create({'name': "again", 'quantity': 1, 'price_unit': 31.0})],
        }
        with mute_logger('odoo.sql_db'), self.assertRaises(IntegrityError) as caught, self.cr.savepoint():
            self.env['account.move'].create(duplicate_vals)
            self.env.flush_all()
        self.assertEqual(self.env['account.move']._sql_error_to_message(caught.exception),
                         "This subscription already has an invoice for this service period.")
        # A cancelled invoice no longer holds its period.
        invoice.button_draft()
        invoice.button_cancel()
        self.env.flush_all()
        self.env['account.move'].create(duplicate_vals)
        self.env.flush_all()

    def test_generate_invoice_now_invoices_next_period_once(self):
        with freeze_time('2026-03-01 12:00'):
            sub = self._subscription(start=date(2026, 3, 1))
            self._run_cron(CRON)
        with freeze_time('2026-03-20 12:00'):
            action = sub.with_user(self.billing_user).action_generate_invoice()
            sub.with_user(self.billing_user).action_generate_invoice()
        invoices = self._invoices(sub)
        self.assertEqual(invoices.mapped('isp_period_start'),
                         [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)])
        self.assertEqual(action['res_id'], invoices[1].id)
        self.assertEqual(invoices[1].invoice_date, date(2026, 3, 20))
        self.assertEqual(sub.invoice_count, 3)

    @freeze_time('2026-03-01 12:00')
    def test_generate_invoice_now_refuses_draft_subscription(self):
        sub = self._subscription(activate=False)
        with self.assertRaisesRegex(UserError, "not active or suspended"):
            sub.action_generate_invoice()

    @freeze_time('2026-03-01 12:00')
    def test_invoicing_suspended_by_policy_terminated_never(self):
        suspended = self._subscription()
        suspended.action_suspend()
        terminated = self._subscription()
        terminated.action_terminate()
        params = self.env['ir.config_parameter'].sudo()
        params.set_param('isp_billing.invoice_suspended', '0')
        self._run_cron(CRON)
        self.assertFalse(self._invoices(suspended | terminated))
        params.set_param('isp_billing.invoice_suspended', '1')
        self._run_cron(CRON)
        self.assertEqual(self._invoices(suspended | terminated).isp_subscription_id, suspended)

    @freeze_time('2026-03-01 12:00')
    def test_invoicing_bad_subscription_does_not_block_others(self):
        good = self._subscription()
        bad = self._subscription(partner=self.customer_b)
        with patch.object(self.registry['account.move'], 'action_post', self._post_refusing(bad)), \
                mute_logger('odoo.addons.isp_billing.models.isp_subscription'):
            self._run_cron(CRON)
        self.assertEqual(self._invoices(good | bad).isp_subscription_id, good)

    def _post_refusing(self, bad):
        original = self.registry['account.move'].action_post

        def action_post(moves):
            if moves.isp_subscription_id & bad:
                raise UserError("cannot post")
            return original(moves)
        return action_post

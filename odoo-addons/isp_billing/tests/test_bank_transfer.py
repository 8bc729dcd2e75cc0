from contextlib import closing, contextmanager
from datetime import date, datetime

from psycopg2.errors import UniqueViolation

from odoo import Command, api, sql_db
from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from odoo.addons.isp_billing.tests.common import IspBillingCase

DEADLINES = 'isp_billing.ir_cron_transfer_deadlines'
SUSPEND = 'isp_billing.ir_cron_suspend_overdue'


@tagged('post_install', '-at_install')
class TestBankTransfer(IspBillingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time('2026-03-01 12:00'):
            cls.sub = cls._subscription(cls, start=date(2026, 3, 1))
            cls.invoice = cls.sub._create_period_invoices(date(2026, 3, 1))

    def _transfer(self, reference='TRX-1001', content=b'receipt 1001', amount=31.0, **values):
        return self.env['isp.bank.transfer.payment'].create({
            'partner_id': self.customer.id,
            'subscription_id': self.sub.id,
            'bank_name': "Banco Popular",
            'reference': reference,
            'amount': amount,
            'transfer_date': date(2026, 3, 11),
            'attachment_ids': [(6, 0, self._receipt(content).ids)] if content else [],
            'invoice_ids': [(6, 0, self.invoice.ids)],
            **values,
        })

    @contextmanager
    def _refused_receipt(self, message):
        """The request fails as a whole, as it would for the user: nothing of it stays."""
        with mute_logger('odoo.sql_db'), self.assertRaisesRegex(ValidationError, message), self.cr.savepoint():
            yield

    def _delete_committed(self, transfer_id, partner_id):
        with closing(sql_db.db_connect(self.env.cr.dbname).cursor()) as other_cr:
            other_cr.execute("SET LOCAL lock_timeout = '10s'")
            other_env = api.Environment(other_cr, api.SUPERUSER_ID, {})
            # Its receipts go with it (attachments of the transfer, receipt rows by cascade).
            other_env['isp.bank.transfer.payment'].browse(transfer_id).unlink()
            other_env['res.partner'].browse(partner_id).unlink()
            other_cr.commit()

    def test_transfer_end_to_end_pays_and_reconnects(self):
        with freeze_time('2026-03-10 12:00'):
            self._run_cron(SUSPEND)
        self.assertEqual(self.sub.state, 'suspended')
        with freeze_time('2026-03-11 09:00'):
            transfer = self._transfer()
            self.assertEqual(transfer.journal_id, self.bank_journal)
            transfer.with_user(self.billing_user).action_submit()
        self.assertRecordValues(transfer, [{
            'state': 'review', 'submitted_at': datetime(2026, 3, 11, 9, 0),
            'review_deadline': datetime(2026, 3, 12, 9, 0), 'attention_deadline': datetime(2026, 3, 13, 9, 0),
        }])
        with freeze_time('2026-03-11 10:00'):
            transfer.with_user(self.billing_user).action_approve()
            transfer.with_user(self.billing_user).action_apply()
        self.assertRecordValues(transfer, [{'state': 'applied', 'approved_by_id': self.billing_user.id}])
        self.assertRecordValues(transfer.payment_id, [{
            'amount': 31.0, 'journal_id': self.bank_journal.id, 'partner_id': self.customer.id,
            'date': date(2026, 3, 11)}])
        self.assertEqual(self.invoice.payment_state, 'paid')
        self.assertEqual(self.sub.state, 'active')
        self.assertEqual(len(self._jobs(self.sub, 'reconnect_subscription')), 1)

    def test_transfer_submit_requires_receipt(self):
        transfer = self._transfer(content=None)
        with self.assertRaisesRegex(UserError, "attach at least one receipt"):
            transfer.action_submit()

    def test_transfer_duplicate_bank_reference_refused(self):
        first = self._transfer(reference='TRX-1001')
        first.action_submit()
        with self.assertRaisesRegex(ValidationError, "already been reported"):
            self._transfer(reference=' trx 1001 ', content=b'another receipt', bank_name="BANCO POPULAR")
        # Once the first one is rejected, the customer may report the transfer again.
        first.rejection_reason = "Receipt unreadable"
        first.action_reject()
        self._transfer(reference='TRX-1001', content=b'a readable receipt')

    def test_transfer_duplicate_receipt_content_refused(self):
        first = self._transfer(reference='TRX-1001', content=b'same bytes')
        with self._refused_receipt(f"receipt has already been submitted with transfer {first.name}"):
            self._transfer(reference='TRX-2002', content=b'same bytes')
        second = self._transfer(reference='TRX-2002', content=b'other bytes')
        with self._refused_receipt(f"receipt has already been submitted with transfer {first.name}"):
            second.write({'attachment_ids': [(4, self._receipt(b'same bytes').id)]})
        # The same file twice on one transfer is one receipt.
        second.write({'attachment_ids': [(4, self._receipt(b'other bytes').id)]})
        self.assertEqual(len(second.attachment_ids), 2)
        # Once the first one is rejected, its receipt may be submitted with another transfer.
        first.rejection_reason = "Wrong amount"
        first.action_reject()
        second.write({'attachment_ids': [(4, self._receipt(b'same bytes').id)]})
        self.assertEqual(len(second.attachment_ids), 3)

    def test_transfer_duplicate_receipt_refused_by_database(self):
        first = self._transfer(reference='TRX-1001', content=b'first receipt')
        second = self._transfer(reference='TRX-3003', content=b'second receipt')
        receipts = self.env['isp.bank.transfer.receipt']
        [checksum] = receipts.search([('transfer_id', '=', first.id)]).mapped('checksum')
        # Bypass the ORM as a concurrent transaction would.
        with mute_logger('odoo.sql_db'), self.assertRaises(UniqueViolation) as caught, self.cr.savepoint():
            self.env.cr.execute(
                "UPDATE isp_bank_transfer_receipt SET checksum = %s WHERE transfer_id = %s", (checksum, second.id))
        self.assertEqual(caught.exception.diag.constraint_name, 'isp_bank_transfer_receipt_checksum_uniq')
        # Removing the receipt from the transfer frees it.
        first.write({'attachment_ids': [(5, 0, 0)]})
        self.assertFalse(receipts.search([('transfer_id', '=', first.id)]))
        self.env.cr.execute(
            "UPDATE isp_bank_transfer_receipt SET checksum = %s WHERE transfer_id = %s", (checksum, second.id))

    def test_transfer_duplicate_receipt_committed_by_concurrent_transaction(self):
        """A receipt committed by another transaction after this one began is invisible to this
        one: only the unique index can refuse it, and the customer still gets a clear message."""
        content = b'one receipt sent for two transfers at the same moment'
        with closing(sql_db.db_connect(self.env.cr.dbname).cursor()) as other_cr:
            other_cr.execute("SET LOCAL lock_timeout = '10s'")
            other_env = api.Environment(other_cr, api.SUPERUSER_ID, {'tracking_disable': True})
            partner = other_env['res.partner'].create({'name': "Concurrent customer"})
            other = other_env['isp.bank.transfer.payment'].create({
                'partner_id': partner.id, 'bank_name': "BHD", 'reference': 'CONCURRENT-1', 'amount': 5.0,
                'attachment_ids': [Command.create({'name': 'receipt.png', 'raw': content})]})
            other_cr.commit()
            committed = other.id, partner.id
        self.addCleanup(self._delete_committed, *committed)
        self.assertFalse(self.env['isp.bank.transfer.payment'].search([('reference', '=', 'CONCURRENT-1')]))
        with self._refused_receipt("already been submitted with another bank transfer"):
            self._transfer(content=content)

    def test_transfer_duplicate_refused_by_database(self):
        first = self._transfer(reference='TRX-1001')
        second = self._transfer(reference='TRX-3003', content=b'other')
        # Bypass the Python check as a concurrent transaction would.
        with mute_logger('odoo.sql_db'), self.assertRaises(UniqueViolation) as caught, self.cr.savepoint():
            self.env.cr.execute(
                "UPDATE isp_bank_transfer_payment SET duplicate_key = %s WHERE id = %s",
                (first.duplicate_key, second.id))
        self.assertIn('isp_bank_transfer_payment_duplicate_key_uniq', str(caught.exception))

    def test_transfer_less_than_open_amount(self):
        transfer = self._transfer(amount=20.0)
        transfer.action_submit()
        transfer.action_approve()
        with self.assertRaisesRegex(UserError, "less than"):
            transfer.action_apply()
        transfer.accept_partial = True
        transfer.action_apply()
        self.assertEqual(transfer.state, 'applied')
        self.assertEqual(self.invoice.payment_state, 'partial')
        self.assertEqual(self.invoice.amount_residual, 11.0)

    def test_transfer_more_than_open_amount_refused(self):
        transfer = self._transfer(amount=50.0)
        transfer.action_submit()
        transfer.action_approve()
        with self.assertRaisesRegex(UserError, "more than"):
            transfer.action_apply()
        self.assertEqual(transfer.state, 'approved')
        self.assertEqual(self.invoice.payment_state, 'not_paid')

    def test_transfer_reject_requires_reason(self):
        transfer = self._transfer()
        transfer.action_submit()
        with self.assertRaisesRegex(UserError, "rejection reason"):
            transfer.action_reject()
        transfer.rejection_reason = "No such transfer on our account"
        transfer.action_reject()
        self.assertEqual(transfer.state, 'rejected')
        with self.assertRaisesRegex(UserError, "cannot be approved"):
            transfer.action_approve()

    def test_transfer_deadlines_flag_and_notify_billing_team(self):
        with freeze_time('2026-03-11 09:00'):
            transfer = self._transfer()
            transfer.action_submit()
        with freeze_time('2026-03-12 08:59'):
            self._run_cron(DEADLINES)
        self.assertFalse(transfer.review_overdue)
        with freeze_time('2026-03-12 09:30'):
            self._run_cron(DEADLINES)
            self._run_cron(DEADLINES)
        self.assertRecordValues(transfer, [{'review_overdue': True, 'attention_overdue': False}])
        activities = transfer.activity_ids.filtered(lambda a: a.user_id == self.billing_user)
        self.assertEqual(len(activities), 1)
        with freeze_time('2026-03-13 09:30'):
            transfer.action_approve()
            self._run_cron(DEADLINES)
        self.assertTrue(transfer.attention_overdue)
        self.assertEqual(len(transfer.activity_ids.filtered(lambda a: a.user_id == self.billing_user)), 1)
        with freeze_time('2026-03-13 10:00'):
            transfer.action_apply()
        self.assertFalse(transfer.activity_ids)
        self.assertFalse(transfer.attention_overdue)

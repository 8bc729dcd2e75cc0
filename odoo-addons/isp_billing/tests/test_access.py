from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged

from odoo.addons.isp_billing.tests.common import IspBillingCase


@tagged('post_install', '-at_install')
class TestAccess(IspBillingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time('2026-03-01 12:00'):
            cls.sub = cls._subscription(cls, start=date(2026, 3, 1))
            cls.invoice = cls.sub._create_period_invoices(date(2026, 3, 1))
        cls.portal_a = new_test_user(cls.env, 'portal_a', groups='base.group_portal', partner_id=cls.customer.id)
        cls.portal_b = new_test_user(cls.env, 'portal_b', groups='base.group_portal', partner_id=cls.customer_b.id)
        cls.noc_user = new_test_user(cls.env, 'isp_noc_b', groups='isp_core.group_isp_noc',
                                     company_id=cls.env.company.id, company_ids=cls.env.company.ids)
        Transfer = cls.env['isp.bank.transfer.payment']
        cls.transfer_a = Transfer.create({
            'partner_id': cls.customer.id, 'bank_name': "BHD", 'reference': 'A-1', 'amount': 31.0,
            'attachment_ids': [(6, 0, cls._receipt(cls, b'a').ids)], 'invoice_ids': [(6, 0, cls.invoice.ids)]})
        cls.transfer_b = Transfer.create({
            'partner_id': cls.customer_b.id, 'bank_name': "BHD", 'reference': 'B-1', 'amount': 10.0,
            'attachment_ids': [(6, 0, cls._receipt(cls, b'b').ids)]})

    def test_access_billing_user_reviews_and_applies(self):
        transfer = self.transfer_a.with_user(self.billing_user)
        transfer.action_submit()
        transfer.action_approve()
        transfer.action_apply()
        self.assertEqual(transfer.state, 'applied')
        self.assertEqual(self.invoice.payment_state, 'paid')
        created = self.env['isp.bank.transfer.payment'].with_user(self.billing_user).create({
            'partner_id': self.customer.id, 'bank_name': "BHD", 'reference': 'A-2', 'amount': 5.0})
        self.assertTrue(created)
        with self.assertRaises(AccessError):
            created.unlink()

    def test_access_portal_sees_only_own_transfers(self):
        Transfer = self.env['isp.bank.transfer.payment']
        self.assertEqual(Transfer.with_user(self.portal_a).search([]), self.transfer_a)
        self.assertEqual(Transfer.with_user(self.portal_b).search([]), self.transfer_b)
        with self.assertRaises(AccessError):
            self.transfer_b.with_user(self.portal_a).read(['reference'])
        with self.assertRaises(AccessError):
            self.transfer_a.with_user(self.portal_a).write({'amount': 1.0})

    def test_access_other_staff_cannot_read_transfers(self):
        with self.assertRaises(AccessError):
            self.transfer_a.with_user(self.noc_user).read(['reference'])

    def test_access_billing_user_generates_invoice(self):
        with freeze_time('2026-03-20 12:00'):
            self.sub.with_user(self.billing_user).action_generate_invoice()
        self.assertEqual(self.sub.invoice_count, 2)

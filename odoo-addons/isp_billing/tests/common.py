import base64
from datetime import date

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class IspBillingCase(AccountTestInvoicingCommon):
    """An accounting company with a sector, a router, two plans and customers with email."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref('isp_core.group_isp_admin')
        params = cls.env['ir.config_parameter'].sudo()
        # No test may reach a real gateway.
        params.set_param('isp_core.sidecar_url', '')
        for key, value in (('suspension_day', '10'), ('grace_days', '0'), ('invoice_suspended', '1'),
                           ('invoice_batch_size', '500')):
            params.set_param(f'isp_billing.{key}', value)
        cls.sector = cls.env['isp.sector'].create({'name': "Los Cacaos", 'code': 'SEC-001-los_cacaos'})
        cls.device = cls.env['isp.device'].create({
            'name': "Router A", 'sector_id': cls.sector.id, 'mgmt_ip': '10.0.0.1', 'identity': 'MikroTik-A',
            'serial': 'SER-A'})
        cls.plan = cls.env['isp.service_plan'].create({
            'name': "DHCP 20/5", 'down_mbps': 20, 'up_mbps': 5, 'price': 31.0, 'tax_ids': [Command.clear()]})
        cls.plan_taxed = cls.env['isp.service_plan'].create({
            'name': "Fibra 100/20", 'down_mbps': 100, 'up_mbps': 20, 'price': 100.0,
            'tax_ids': [Command.set(cls.tax_sale_a.ids)]})
        cls.customer = cls.env['res.partner'].create({'name': "Ana Rosario", 'email': 'ana@example.com'})
        cls.customer_b = cls.env['res.partner'].create({'name': "Luis Peña", 'email': 'luis@example.com'})
        cls.bank_journal = cls.company_data['default_journal_bank']
        params.set_param('isp_billing.transfer_journal_id', str(cls.bank_journal.id))
        cls.billing_user = new_test_user(
            cls.env, 'isp_billing_user', groups='isp_core.group_isp_billing', company_id=cls.env.company.id,
            company_ids=[Command.set(cls.env.company.ids)])
        cls._mac_counter = 0

    @classmethod
    def _next_mac(cls):
        cls._mac_counter += 1
        return '02:00:00:00:%02X:%02X' % divmod(cls._mac_counter, 256)

    def _subscription(self, start=date(2026, 3, 1), billing_day=1, partner=None, plan=None, activate=True,
                      **values):
        sub = self.env['isp.subscription'].create({
            'partner_id': (partner or self.customer).id,
            'plan_id': (plan or self.plan).id,
            'sector_id': self.sector.id,
            'device_id': self.device.id,
            'service_mac': self._next_mac(),
            'gps_lat': 18.4861,
            'gps_lng': -69.9312,
            'start_date': start,
            'billing_day': billing_day,
            **values,
        })
        if activate:
            sub.action_activate()
        return sub

    def _invoices(self, subs):
        return self.env['account.move'].search(
            [('isp_subscription_id', 'in', subs.ids), ('move_type', '=', 'out_invoice')],
            order='isp_subscription_id, isp_period_start')

    def _run_cron(self, xmlid):
        # The cron runner opens its own cursors: in test mode they wrap the test's transaction,
        # and their commits become savepoints.
        cron = self.env.ref(xmlid)
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()

    def _pay(self, invoices, amount=None, on=None):
        wizard = self.env['account.payment.register'].with_context(
            active_model='account.move', active_ids=invoices.ids).create({
                'journal_id': self.bank_journal.id,
                'group_payment': True,
                **({'amount': amount, 'payment_difference_handling': 'open'} if amount is not None else {}),
                **({'payment_date': on} if on else {}),
            })
        return wizard._create_payments()

    def _receipt(self, content):
        return self.env['ir.attachment'].create({
            'name': 'receipt.png', 'datas': base64.b64encode(content), 'mimetype': 'image/png'})

    def _jobs(self, sub, job_type):
        return self.env['isp.provisioning_job'].search(
            [('subscription_id', 'in', sub.ids), ('job_type', '=', job_type)])

    def _queued_mails(self, sub, subject_part):
        return self.env['mail.mail'].sudo().search([
            ('model', '=', 'isp.subscription'), ('res_id', '=', sub.id), ('subject', 'ilike', subject_part),
            ('state', '=', 'outgoing')])

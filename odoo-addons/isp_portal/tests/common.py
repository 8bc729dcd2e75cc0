from datetime import date

from odoo import Command, fields
from odoo.http import Request
from odoo.tests import freeze_time, new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon
from odoo.addons.isp_billing.tests.common import IspBillingCase


class IspPortalCase(IspBillingCase, AccountTestInvoicingHttpCommon):
    """Two customers, each with a portal user, a subscription and a posted unpaid invoice.

    Customer A (``customer``, login ``portal_a``) and customer B (``customer_b``, login
    ``portal_b``); the password of each portal user is its login. Every isolation test reads
    or writes as one and aims at the other's records.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a = cls._portal_user(cls.customer, 'portal_a')
        cls.portal_b = cls._portal_user(cls.customer_b, 'portal_b')
        cls.sub_a = cls._portal_subscription(cls.customer)
        cls.sub_b = cls._portal_subscription(cls.customer_b)
        cls.invoice_a = cls._open_invoice(cls.sub_a)
        cls.invoice_b = cls._open_invoice(cls.sub_b)

    @classmethod
    def _portal_user(cls, partner, login):
        return new_test_user(
            cls.env, login, password=login, groups='base.group_portal', partner_id=partner.id,
            company_id=cls.env.company.id, company_ids=[Command.set(cls.env.company.ids)])

    @classmethod
    def _portal_subscription(cls, partner, plan=None):
        cls._mac_counter += 1
        sub = cls.env['isp.subscription'].create({
            'partner_id': partner.id,
            'plan_id': (plan or cls.plan).id,
            'sector_id': cls.sector.id,
            'device_id': cls.device.id,
            'service_mac': '02:00:00:01:%02X:%02X' % divmod(cls._mac_counter, 256),
            'gps_lat': 18.4861,
            'gps_lng': -69.9312,
            'start_date': date(2026, 3, 1),
            'billing_day': 1,
        })
        sub.action_activate()
        return sub

    @classmethod
    def _open_invoice(cls, sub):
        """The subscription's next period, invoiced and posted, left unpaid."""
        return sub._create_period_invoices(date(2026, 3, 1))

    @classmethod
    def _overdue_subscription(cls, partner, months=1):
        """A new subscription of ``partner`` with ``months`` unpaid invoices from March 2026 on,
        each issued and due on its first day (long overdue), suspended for non-payment as
        isp_billing's cron does it. Returns ``(subscription, invoices)``."""
        sub = cls._portal_subscription(partner)
        invoices = cls.env['account.move']
        for month in range(3, 3 + months):
            with freeze_time(f'2026-{month:02d}-01 12:00'):
                invoices |= sub._create_period_invoices(date(2026, month, 1))
        sub._suspend_for_nonpayment(sub._suspension_cutoff(fields.Date.context_today(sub)))
        return sub, invoices

    @classmethod
    def _enable_demo_provider(cls):
        """payment_demo's provider in the test company, as an ISP enables Stripe or PayPal."""
        demo = cls.env.ref('payment.payment_provider_demo').sudo()
        method = cls.env.ref('payment_demo.payment_method_demo').sudo()
        method.active = True
        provider = demo.copy({
            'name': "Demo (ISP)",
            'company_id': cls.env.company.id,
            'state': 'test',
            'is_published': True,
            'payment_method_ids': [Command.set(method.ids)],
        })
        provider.journal_id = cls.company_data['default_journal_bank']
        return provider

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _csrf(self):
        return Request.csrf_token(self)

    def _post(self, url, data=None, files=None, allow_redirects=False):
        """A form POST as the logged-in user, with the CSRF token a real form carries."""
        return self.url_open(url, data={'csrf_token': self._csrf(), **(data or {})}, files=files,
                             allow_redirects=allow_redirects)

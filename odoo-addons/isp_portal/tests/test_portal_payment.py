from lxml import html

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import IspPortalCase

POST_PROCESS_CRON = 'payment.cron_post_process_payment_tx'


@tagged('post_install', '-at_install')
class TestPortalOnlinePayment(IspPortalCase):
    """A customer suspended for non-payment pays online through Odoo's own routes (payment_demo)
    and is reconnected by the post-processing the payment wakes up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls._enable_demo_provider()

    def _payment_form(self, url):
        """The payment form of Odoo's invoice page at ``url``, as the customer's browser gets it."""
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.text)
        forms = tree.xpath('//form[@id="o_payment_form"]')
        self.assertEqual(len(forms), 1, "the invoice page offers to pay online")
        radios = tree.xpath(
            f"//input[@name='o_payment_radio'][@data-provider-id='{self.provider.id}']"
            "[@data-payment-option-type='payment_method']")
        self.assertTrue(radios, "the demo provider is offered")
        return forms[0], radios[0]

    def _pay_online(self, url):
        """What the payment form's JavaScript does on the invoice page at ``url``: create the
        transaction, then let the provider confirm it (demo: the simulation route). The access
        token is sent only when the page gives one, as the browser does. Returns the transaction."""
        form, radio = self._payment_form(url)
        params = {
            'provider_id': int(radio.get('data-provider-id')),
            'payment_method_id': int(radio.get('data-payment-option-id')),
            'token_id': None,
            'amount': float(form.get('data-amount')),
            'flow': 'direct',
            'tokenization_requested': False,
            'landing_route': form.get('data-landing-route'),
        }
        if form.get('data-access-token'):
            params['access_token'] = form.get('data-access-token')
        processing = self.make_jsonrpc_request(form.get('data-transaction-route'), params)
        self.make_jsonrpc_request('/payment/demo/simulate_payment', {
            'reference': processing['reference'],
            'payment_details': '4242',
            'simulated_state': 'done',
        })
        return self.env['payment.transaction'].search([('reference', '=', processing['reference'])])

    def _pay_now_link(self):
        """Where the dashboard's "Pay now" of the suspended card leads."""
        tree = html.fromstring(self.url_open('/my/isp').text)
        links = tree.xpath("//*[contains(concat(' ', @class, ' '), ' o_isp_pay_now ')]/@href")
        self.assertEqual(len(links), 1)
        return links[0]

    def _cron_triggers(self):
        return self.env['ir.cron.trigger'].search_count([('cron_id', '=', self.env.ref(POST_PROCESS_CRON).id)])

    @mute_logger('odoo.addons.payment.models.payment_transaction')
    def test_paying_online_reconnects(self):
        sub, invoice = self._overdue_subscription(self.customer)
        self.assertTrue(sub.suspended_for_nonpayment)
        self._login(self.portal_a)
        triggers = self._cron_triggers()

        tx = self._pay_online(self._pay_now_link())

        self.assertEqual(tx.state, 'done')
        self.assertEqual(tx.invoice_ids, invoice)
        self.assertEqual(self._cron_triggers(), triggers + 1,
                         "the post-processing cron is woken up, not left to its 10 minutes")
        self.assertEqual(invoice.payment_state, 'not_paid', "nothing is paid before post-processing")
        self.assertEqual(sub.state, 'suspended')

        # The customer closed the tab: the cron does the post-processing.
        self._run_cron(POST_PROCESS_CRON)

        self.assertTrue(tx.is_post_processed)
        self.assertIn(invoice.payment_state, ('paid', 'in_payment'))
        self.assertEqual(sub.state, 'active')
        self.assertFalse(sub.suspension_reason)
        self.assertFalse(sub.suspended_for_nonpayment)
        self.assertEqual(len(self._jobs(sub, 'reconnect_subscription')), 1, "the router is told to reconnect")
        body = self.url_open('/my/isp').text
        self.assertNotIn("Your internet service is suspended.", body)

    @mute_logger('odoo.addons.payment.models.payment_transaction')
    def test_payment_of_other_invoices_does_not_wake_the_cron(self):
        invoice = self.init_invoice('out_invoice', partner=self.customer, amounts=[50.0], post=True)
        self._login(self.portal_a)
        triggers = self._cron_triggers()
        tx = self._pay_online(invoice.get_portal_url())
        self.assertEqual(tx.state, 'done')
        self.assertEqual(self._cron_triggers(), triggers, "only ISP invoices need the reconnection at once")

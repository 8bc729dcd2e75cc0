from odoo import models

POST_PROCESS_CRON = 'payment.cron_post_process_payment_tx'


class PaymentTransaction(models.Model):
    _inherit = 'payment.transaction'

    def _set_done(self, **kwargs):
        # Only post-processing pays the invoice (and so reconnects a suspended customer); the
        # customer's browser runs it while it polls, the cron every 10 minutes. A customer who
        # pays and closes the tab must be back online in seconds: wake the cron now.
        done = super()._set_done(**kwargs)
        if done.filtered(lambda tx: tx.invoice_ids.isp_subscription_id):
            self.env.ref(POST_PROCESS_CRON).sudo()._trigger()
        return done

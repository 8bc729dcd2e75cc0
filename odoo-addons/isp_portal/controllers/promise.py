"""Promise to pay: a customer suspended for non-payment reconnects on their word."""
from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.http import Controller, request, route

from odoo.addons.isp_portal.controllers.ownership import own_record


class PromisePortal(Controller):

    @route('/my/isp/service/<int:subscription_id>/promise', type='http', auth='user', website=True,
           methods=['POST'])
    def portal_isp_promise(self, subscription_id, **kw):
        subscription = own_record('isp.subscription', subscription_id)
        try:
            with request.env.cr.savepoint():
                subscription._promise_to_pay()
            outcome = 'done'
        except (UserError, IntegrityError):
            # The service page says why (the reason still holds when it renders); a second
            # click racing the first meets the unique index and reads "already used".
            outcome = 'refused'
        return request.redirect(f'/my/isp/service/{subscription.id}?promise={outcome}#isp_service_actions')

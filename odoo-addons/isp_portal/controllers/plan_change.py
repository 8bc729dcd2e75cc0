"""Plan changes requested by the customer: the choice of plans, the request, its page."""
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal

from .ownership import own_record

MAX_ID = 2 ** 31 - 1

OPEN_STATES = ('requested', 'approved')
CHANGEABLE_STATES = ('active', 'suspended')
# A refused form answers 422: the page explains why, and nothing was stored.
REFUSED = 422


class IspPlanChangePortal(CustomerPortal):

    @route('/my/isp/plan/change', type='http', auth='user', website=True, methods=['GET', 'POST'])
    def isp_plan_change(self, subscription_id=None, plan_id=None, **kw):
        sub = own_record('isp.subscription', subscription_id)
        if request.httprequest.method == 'POST':
            return self._isp_plan_change_submit(sub, plan_id)
        return self._isp_plan_change_render(sub)

    @route('/my/isp/plan/requests/<string:change_id>', type='http', auth='user', website=True,
           methods=['GET'])
    def isp_plan_change_request(self, change_id, **kw):
        change = own_record('isp.plan.change.request', change_id)
        change._portal_ensure_token()
        sub = change.subscription_id
        values = self._prepare_portal_layout_values()
        values.update({
            'page_name': 'isp_plan_change_request',
            'change': change,
            'object': change,
            'token': change.access_token,
            'subscription': sub,
            'created': bool(kw.get('created')),
            'can_ask_again': (change.state not in OPEN_STATES and sub.state in CHANGEABLE_STATES
                              and not self._isp_open_request(sub)),
        })
        return request.render('isp_portal.portal_isp_plan_change_request', values)

    # ------------------------------------------------------------------ helpers

    def _isp_plan_change_render(self, sub, error=None, selected_plan_id=None, status=200):
        values = self._prepare_portal_layout_values()
        open_request = self._isp_open_request(sub)
        current = sub.plan_id
        plans = request.env['isp.service_plan'].sudo().search(
            [('active', '=', True), ('id', '!=', current.id)], order='price, down_mbps, name')
        draft = request.env['isp.plan.change.request'].sudo().new({'subscription_id': sub.id})
        values.update({
            'page_name': 'isp_plan_change',
            'subscription': sub,
            'current_plan': current,
            'plans': plans,
            'open_request': open_request,
            'can_change': sub.state in CHANGEABLE_STATES,
            'effective_date': draft._next_billing_date(),
            'error': error,
            'selected_plan_id': selected_plan_id,
        })
        return request.render('isp_portal.portal_isp_plan_change', values, status=status)

    def _isp_open_request(self, sub):
        return request.env['isp.plan.change.request'].sudo().search(
            [('subscription_id', '=', sub.id), ('state', 'in', OPEN_STATES)], limit=1)

    def _isp_plan_change_submit(self, sub, plan_id):
        plan, error = self._isp_check_plan_change(sub, plan_id)
        if error:
            return self._isp_plan_change_render(
                sub, error=error, selected_plan_id=plan.id if plan else None, status=REFUSED)
        vals = {'subscription_id': sub.id, 'requested_plan_id': plan.id}
        try:
            # The unique index on open requests still guards two simultaneous submissions.
            with request.env.cr.savepoint():
                change = request.env['isp.plan.change.request'].sudo().create(vals)
        except (IntegrityError, UserError, ValidationError):
            return self._isp_plan_change_render(
                sub, error=request.env._("This subscription already has an open plan change request."),
                status=REFUSED)
        change.message_subscribe(partner_ids=request.env.user.partner_id.ids)
        return request.redirect(f'{change.access_url}?created=1')

    def _isp_check_plan_change(self, sub, plan_id):
        """(plan, error message): the plan the customer may move to, or why not."""
        _ = request.env._
        if sub.state not in CHANGEABLE_STATES:
            return None, _("Subscription %s is not in service: its plan cannot change.", sub.name)
        if self._isp_open_request(sub):
            return None, _("This subscription already has an open plan change request.")
        number = form_id(plan_id)
        if not number:
            return None, _("Choose one of the plans.")
        plan = request.env['isp.service_plan'].sudo().browse(number).exists()
        if not plan or not plan.active:
            return None, _("This plan is not available.")
        if plan == sub.plan_id:
            return plan, _("You already have plan %s.", plan.name)
        return plan, None


def form_id(value):
    """A database id from a form field, or None (not a number, or out of the id range)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None

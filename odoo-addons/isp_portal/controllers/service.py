"""The customer's own internet service: dashboard, one subscription, ISP invoices, home tiles.

Every page reads the subscriptions through the portal user's own environment (ACL and record
rule) restricted to their commercial partner, and only then as superuser for display; every
id from a URL goes through ``ownership``. Queries are batched per page (never per card), so a
page costs the same with 10 or 100,000 subscriptions in the database.
"""
from collections import defaultdict

from odoo import fields, http
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.addons.isp_core.tools.geo import has_position
from odoo.addons.portal.controllers.portal import pager as portal_pager

from . import ownership

LATEST_INVOICES = 3
OPEN_PLAN_CHANGE_STATES = ('requested', 'approved')
OPEN_TRANSFER_STATES = ('draft', 'review', 'approved')
CHECKING_TRANSFER_STATES = ('review', 'approved')
OPEN_FAULT_STATES = ('new', 'in_progress')
INVOICE_FIELDS = ['name', 'invoice_date', 'invoice_date_due', 'amount_total', 'amount_residual', 'currency_id',
                  'payment_state', 'state', 'move_type', 'partner_id']
SUBSCRIPTION_FIELDS = ['name', 'partner_id', 'plan_id', 'state', 'suspension_reason', 'suspended_for_nonpayment',
                       'next_invoice_date', 'currency_id', 'price', 'auth_method', 'service_mac', 'service_ip',
                       'pppoe_username', 'start_date']


def speed_label(plan):
    """``<down>/<up> Mbps`` as the customer knows their plan: ``20/5 Mbps``, ``2.5/1 Mbps``."""
    return f"{plan.down_mbps:g}/{plan.up_mbps:g} Mbps"


class IspCustomerPortal(PortalAccount):

    # ------------------------------------------------------------------ home

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if 'isp_subscription_count' in counters:
            values['isp_subscription_count'] = self._isp_subscription_count()
        if 'isp_suspended_count' in counters:
            values['isp_suspended_count'] = self._isp_subscription_count(Domain('state', '=', 'suspended'))
        return values

    def _isp_subscription_count(self, domain=Domain.TRUE):
        Subscription = request.env['isp.subscription']
        if not Subscription.has_access('read'):
            return 0
        return Subscription.search_count(self._isp_subscriptions_domain() & domain)

    # ------------------------------------------------------------------ pages

    @http.route('/my/isp', type='http', auth='user', website=True)
    def portal_my_isp(self, **kw):
        subscriptions = self._isp_subscriptions()
        values = self._prepare_portal_layout_values()
        values.update({
            'page_name': 'isp_dashboard',
            'cards': self._isp_cards(subscriptions),
            'today': fields.Date.context_today(request.env.user),
        })
        return request.render('isp_portal.portal_my_isp', values)

    @http.route('/my/isp/service/<int:subscription_id>', type='http', auth='user', website=True)
    def portal_my_isp_service(self, subscription_id, **kw):
        subscription = ownership.own_record('isp.subscription', subscription_id)
        card = self._isp_cards(subscription)[0]
        values = self._prepare_portal_layout_values()
        values.update({
            'page_name': 'isp_service',
            'card': card,
            'subscription': subscription,
            'today': fields.Date.context_today(request.env.user),
            'service_map': self._isp_service_map(subscription),
            **self._isp_service_requests(subscription),
        })
        return request.render('isp_portal.portal_my_isp_service', values)

    @http.route(['/my/isp/invoices', '/my/isp/invoices/page/<int:page>'], type='http', auth='user', website=True)
    def portal_my_isp_invoices(self, page=1, subscription_id=None, **kw):
        page = ownership.parse_id(page)
        Move = request.env['account.move']
        domain = self._isp_invoices_domain()
        url_args = {}
        subscription = None
        if subscription_id:
            subscription = ownership.own_record('isp.subscription', subscription_id)
            domain &= Domain('isp_subscription_id', '=', subscription.id)
            url_args['subscription_id'] = subscription.id
        total = Move.search_count(domain) if Move.has_access('read') else 0
        pager = portal_pager(url='/my/isp/invoices', url_args=url_args, total=total, page=page,
                             step=self._items_per_page)
        invoices = Move.search_fetch(
            domain, ['name', 'invoice_date', 'invoice_date_due', 'amount_total', 'amount_residual',
                     'currency_id', 'payment_state', 'state', 'move_type', 'isp_subscription_id',
                     'isp_period_start', 'isp_period_end'],
            order='invoice_date desc, id desc', limit=self._items_per_page, offset=pager['offset'],
        ) if total else Move
        request.session['my_invoices_history'] = invoices.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update({
            'page_name': 'isp_invoices',
            'invoices': invoices,
            'pager': pager,
            'subscription': subscription,
            'today': fields.Date.context_today(request.env.user),
        })
        return request.render('isp_portal.portal_my_isp_invoices', values)

    # ------------------------------------------------------------------ data

    def _isp_subscriptions_domain(self):
        return Domain([
            ('partner_id', 'child_of', ownership.customer().ids),
            ('state', '!=', 'terminated'),
        ])

    def _isp_subscriptions(self):
        """The customer's live subscriptions, as the portal user may see them (rules apply)."""
        Subscription = request.env['isp.subscription']
        if not Subscription.has_access('read'):
            return Subscription
        return Subscription.search(self._isp_subscriptions_domain(), order='id')

    def _isp_invoices_domain(self):
        # The account.move record rule already limits a portal user to their own documents.
        return Domain([
            ('isp_subscription_id', '!=', False),
            ('move_type', 'in', ('out_invoice', 'out_refund')),
            ('state', '=', 'posted'),
            ('partner_id', 'child_of', ownership.customer().ids),
        ])

    def _isp_cards(self, subscriptions):
        """One dict per subscription with all a card shows, in a fixed number of queries."""
        if not subscriptions:
            return []
        subs = subscriptions.sudo()
        subs.fetch(SUBSCRIPTION_FIELDS)
        subs.plan_id.fetch(['name', 'down_mbps', 'up_mbps'])
        Move = request.env['account.move']
        invoices = self._isp_invoices_domain() & Domain('isp_subscription_id', 'in', subs.ids)
        open_moves = invoices & Domain('payment_state', 'in', ('not_paid', 'partial'))
        unpaid = open_moves & Domain('move_type', '=', 'out_invoice')
        # What the customer owes: the unpaid invoices less the credit notes not yet used.
        balances = defaultdict(float)
        for sub, move_type, residual in Move._read_group(
                open_moves, ['isp_subscription_id', 'move_type'], ['amount_residual:sum']):
            balances[sub] += residual if move_type == 'out_invoice' else -residual
        latest_ids = {
            sub.id: sorted(ids, reverse=True)[:LATEST_INVOICES]
            for sub, ids in Move._read_group(invoices, ['isp_subscription_id'], ['id:array_agg'])
        }
        # Found through the user's rules above; read once, as superuser, for every card.
        latest = Move.sudo().browse([i for ids in latest_ids.values() for i in ids])
        latest.fetch(INVOICE_FIELDS)
        suspended = subs.filtered(lambda s: s.state == 'suspended')
        overdue = self._isp_overdue_invoices(suspended, unpaid)
        checking = request.env['isp.bank.transfer.payment'].sudo().search_fetch(
            [('subscription_id', 'in', suspended.ids), ('state', 'in', CHECKING_TRANSFER_STATES)],
            ['name', 'subscription_id'], order='id desc') if suspended else ()
        partner = request.env.user.partner_id
        cards = []
        for sub in subs:
            sub_overdue = overdue.filtered(lambda m, s=sub: m.isp_subscription_id == s)
            cards.append({
                'subscription': sub,
                'plan': sub.plan_id,
                'speed': speed_label(sub.plan_id),
                'balance': balances[sub],
                'latest_invoices': latest.browse(latest_ids.get(sub.id, [])).with_prefetch(latest._prefetch_ids),
                'overdue_invoices': sub_overdue,
                'pay_url': self._isp_pay_url(sub_overdue, partner),
                # A reported transfer under review: the customer need not pay twice.
                'transfer_checked': next((t for t in checking if t.subscription_id == sub), None),
            })
        return cards

    def _isp_overdue_invoices(self, suspended, unpaid):
        """The unpaid invoices that keep the suspended subscriptions cut: paying them reconnects."""
        Move = request.env['account.move']
        if not suspended:
            return Move
        Subscription = request.env['isp.subscription'].sudo()
        cutoff = Subscription._suspension_cutoff(fields.Date.context_today(Subscription))
        return Move.search_fetch(
            unpaid & Domain('isp_subscription_id', 'in', suspended.ids)
            & Domain(Subscription._overdue_invoice_domain(cutoff)),
            INVOICE_FIELDS + ['isp_subscription_id'], order='invoice_date_due, id').sudo()

    def _isp_pay_url(self, overdue, partner):
        """Where "Pay now" leads: the invoice itself, or Odoo's page that pays every overdue
        invoice at once (it only knows the invoices addressed to the user's own partner)."""
        if not overdue:
            return False
        if len(overdue) > 1 and overdue.partner_id == partner and len(overdue.currency_id) == 1:
            return '/my/invoices/overdue'
        # With its access token, as Odoo's own invoice list links it: the payment form posts the
        # token back, and the transaction route requires it.
        return overdue[0].get_portal_url()

    def _isp_service_map(self, subscription):
        """The service's pin for the page's map, or None when it has no position: this subscription's
        coordinates only, and the tile server of the settings (isp_core's)."""
        sub = subscription.sudo()
        if not has_position(sub.gps_lat, sub.gps_lng):
            return None
        tiles = request.env['ir.http']._isp_map_tiles()
        return {'lat': sub.gps_lat, 'lng': sub.gps_lng, 'tile_url': tiles['url'], 'attribution': tiles['attribution']}

    def _isp_service_requests(self, subscription):
        """What the customer has asked for on this subscription and is still open."""
        env = request.env
        return {
            'plan_changes': env['isp.plan.change.request'].sudo().search_fetch(
                [('subscription_id', '=', subscription.id), ('state', 'in', OPEN_PLAN_CHANGE_STATES)],
                ['name', 'requested_plan_id', 'state', 'effective_date']),
            'transfers': env['isp.bank.transfer.payment'].sudo().search_fetch(
                [('subscription_id', '=', subscription.id), ('state', 'in', OPEN_TRANSFER_STATES)],
                ['name', 'amount', 'currency_id', 'state', 'transfer_date', 'review_deadline'], limit=10),
            'faults': env['isp.fault.ticket'].sudo().search_fetch(
                [('subscription_id', '=', subscription.id), ('state', 'in', OPEN_FAULT_STATES)],
                ['name', 'fault_type', 'state', 'sla_deadline', 'opened_at'], limit=10),
        }

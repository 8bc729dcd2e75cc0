"""Fault tickets reported by the customer: the list, the report form, a ticket and its conversation."""
from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal, pager as portal_pager

from .ownership import customer, own_record
from .uploads import MAX_UPLOAD_BYTES, UploadRefused, read_upload

REPORTABLE_STATES = ('active', 'suspended')
MAX_DESCRIPTION = 5000
REFUSED = 422


class IspFaultPortal(CustomerPortal):

    @route(['/my/isp/faults', '/my/isp/faults/page/<int:page>'], type='http', auth='user', website=True,
           methods=['GET'])
    def isp_faults(self, page=1, **kw):
        Ticket = request.env['isp.fault.ticket']
        domain = self._isp_fault_domain()
        pager = portal_pager(url='/my/isp/faults', total=Ticket.search_count(domain), page=page,
                             step=self._items_per_page)
        # Read through the portal user's own rights: the record rule is the list's filter too.
        tickets = Ticket.search(domain, order='opened_at desc, id desc', limit=self._items_per_page,
                                offset=pager['offset'])
        values = self._prepare_portal_layout_values()
        values.update({'page_name': 'isp_faults', 'tickets': tickets.sudo(), 'pager': pager})
        return request.render('isp_portal.portal_isp_faults', values)

    @route('/my/isp/faults/new', type='http', auth='user', website=True, methods=['GET', 'POST'])
    def isp_fault_new(self, **post):
        if request.httprequest.method == 'POST':
            return self._isp_fault_submit(post)
        return self._isp_fault_form({'subscription_id': post.get('subscription_id')})

    @route('/my/isp/faults/<string:ticket_id>', type='http', auth='user', website=True, methods=['GET'])
    def isp_fault(self, ticket_id, **kw):
        ticket = own_record('isp.fault.ticket', ticket_id)
        ticket._portal_ensure_token()
        values = self._prepare_portal_layout_values()
        values.update({
            'page_name': 'isp_fault',
            'ticket': ticket,
            'object': ticket,
            'token': ticket.access_token,
            'photos': ticket._portal_photos(),
            'created': bool(kw.get('created')),
        })
        return request.render('isp_portal.portal_isp_fault', values)

    # ------------------------------------------------------------------ helpers

    def _isp_fault_domain(self):
        return [('partner_id', 'child_of', customer().ids)]

    def _isp_reportable_subscriptions(self):
        return request.env['isp.subscription'].sudo().search(
            [('partner_id', 'child_of', customer().ids), ('state', 'in', REPORTABLE_STATES)], order='name')

    def _isp_fault_form(self, form, error=None, status=200):
        values = self._prepare_portal_layout_values()
        Ticket = request.env['isp.fault.ticket']
        values.update({
            'page_name': 'isp_fault_new',
            'subscriptions': self._isp_reportable_subscriptions(),
            'fault_types': Ticket._fields['fault_type']._description_selection(request.env),
            'form': form,
            'error': error,
            'max_upload_mib': MAX_UPLOAD_BYTES // (1024 * 1024),
        })
        return request.render('isp_portal.portal_isp_fault_new', values, status=status)

    def _isp_fault_submit(self, post):
        # A subscription id of another customer is a 404, as everywhere in the portal.
        sub = own_record('isp.subscription', post.get('subscription_id'))
        form = {key: post.get(key) for key in ('subscription_id', 'fault_type', 'description')}
        vals, upload, error = self._isp_check_fault(sub, post)
        if error:
            return self._isp_fault_form(form, error=error, status=REFUSED)
        ticket = request.env['isp.fault.ticket'].sudo().create(vals)
        # The reporter follows the ticket: every reply staff send reaches them by e-mail.
        ticket.message_subscribe(partner_ids=request.env.user.partner_id.ids)
        if upload:
            name, raw, mimetype = upload
            request.env['ir.attachment'].sudo().create({
                'name': name, 'raw': raw, 'mimetype': mimetype,
                'res_model': ticket._name, 'res_id': ticket.id,
            })
        return request.redirect(f'{ticket.access_url}?created=1')

    def _isp_check_fault(self, sub, post):
        """(values to create, (name, bytes, mimetype) of the upload or None, error message)."""
        _ = request.env._
        if sub.state not in REPORTABLE_STATES:
            return None, None, _("Subscription %s is not in service: report the fault by phone.", sub.name)
        fault_type = post.get('fault_type')
        types = dict(request.env['isp.fault.ticket']._fields['fault_type']._description_selection(request.env))
        if fault_type not in types:
            return None, None, _("Choose what kind of fault it is.")
        description = (post.get('description') or '').strip()
        if not description:
            return None, None, _("Describe the fault.")
        if len(description) > MAX_DESCRIPTION:
            return None, None, _("The description is too long (at most %s characters).", MAX_DESCRIPTION)
        upload, error = self._isp_read_upload(post.get('attachment'))
        if error:
            return None, None, error
        vals = {
            'subscription_id': sub.id,
            'partner_id': sub.partner_id.id,
            'fault_type': fault_type,
            'description': description,
            'priority': self._isp_portal_priority(fault_type),
        }
        return vals, upload, None

    def _isp_portal_priority(self, fault_type):
        # A customer with no service at all gets nothing of what they pay for: high (24 h SLA).
        # A degraded service (slow, intermittent, equipment, other) still works: normal (48 h).
        # "urgent" (8 h) stays a staff decision, e.g. for an outage of a whole sector; the
        # customer chooses the fault type, so the type alone must not reach the top of the queue.
        return 'high' if fault_type == 'no_service' else 'normal'

    def _isp_read_upload(self, upload):
        """((name, bytes, mimetype) or None, error message) for the optional photo."""
        try:
            photo = read_upload(upload, 'photo')
        except UploadRefused as refusal:
            return None, refusal.args[0]
        if photo is None:
            return None, None
        content, mimetype, filename = photo
        return (filename, content, mimetype), None

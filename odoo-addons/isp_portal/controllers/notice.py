"""The page the router sends a suspended customer's web traffic to.

Public and identical for everyone: the router redirects any plain HTTP request of a suspended
client here, so the page cannot know (and must not guess from the client address) who is
asking. It explains what happened and how to get back online; the customer's own details are
behind the login it links to. Never cached: once reconnected, the browser must not keep
showing it.
"""
from werkzeug.urls import url_encode

from odoo import http
from odoo.http import request

PORTAL_HOME = '/my/isp'
TRANSFER_FORM = '/my/isp/payments/transfer'


class IspSuspendedNotice(http.Controller):

    @http.route('/isp/suspended', type='http', auth='public', website=True, sitemap=False)
    def isp_suspended_notice(self, **kw):
        company = request.env.company
        values = {
            'login_url': '/web/login?' + url_encode({'redirect': PORTAL_HOME}),
            'transfer_login_url': '/web/login?' + url_encode({'redirect': TRANSFER_FORM}),
            'company_name': company.name,
            'company_phone': company.phone,
            'company_email': company.email,
        }
        response = request.render('isp_portal.isp_suspended_notice', values)
        response.headers['Cache-Control'] = 'no-store'
        response.headers['Pragma'] = 'no-cache'
        return response

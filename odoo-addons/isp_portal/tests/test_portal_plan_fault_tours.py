from odoo.tests import tagged

from .common import IspPortalCase


@tagged('post_install', '-at_install')
class TestPortalPlanFaultTours(IspPortalCase):
    """A customer in Chromium: a plan change request, a fault report and a chatter reply."""

    def test_tour_plan_change(self):
        self.start_tour(f'/my/isp/plan/change?subscription_id={self.sub_a.id}', 'isp_portal_plan_change',
                        login='portal_a')
        change = self.env['isp.plan.change.request'].search([('subscription_id', '=', self.sub_a.id)])
        self.assertEqual((change.state, change.requested_plan_id), ('requested', self.plan_taxed))

    def test_tour_fault(self):
        self.start_tour('/my/isp/faults/new', 'isp_portal_fault', login='portal_a')
        ticket = self.env['isp.fault.ticket'].search([('partner_id', '=', self.customer.id)])
        self.assertEqual((ticket.fault_type, ticket.priority, ticket.description),
                         ('slow', 'normal', "Very slow every evening since Monday"))
        reply = ticket.message_ids.filtered(lambda m: m.author_id == self.customer and m.message_type == 'comment')
        self.assertEqual(len(reply), 1)
        self.assertIn("It is worse after 8 pm", reply.body)

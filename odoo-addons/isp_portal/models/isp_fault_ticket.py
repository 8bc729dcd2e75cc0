from odoo import fields, models


class IspFaultTicket(models.Model):
    _name = 'isp.fault.ticket'
    _inherit = ['isp.fault.ticket', 'portal.mixin']

    # Where the network stands is the ISP's business: hidden from customers, over RPC too.
    sector_id = fields.Many2one(groups='base.group_user')

    def _compute_access_url(self):
        super()._compute_access_url()
        for ticket in self:
            ticket.access_url = f'/my/isp/faults/{ticket.id}'

    # ------------------------------------------------------------------ business

    def _portal_state_text(self):
        """The state as a sentence for the customer's page."""
        self.ensure_one()
        texts = {
            'new': self.env._("We received your report and will assign a technician."),
            'in_progress': self.env._("A technician is working on it."),
            'resolved': self.env._("We fixed the fault. Reply below if it is still not working."),
            'closed': self.env._("This ticket is closed."),
            'cancelled': self.env._("This ticket was cancelled."),
        }
        return texts[self.state]

    def _portal_photos(self):
        """The files the customer attached to the ticket, each with an access token for its link.

        Only files uploaded by portal users: what staff attach in the back office stays internal.
        """
        self.ensure_one()
        photos = self.env['ir.attachment'].sudo().search(
            [('res_model', '=', self._name), ('res_id', '=', self.id), ('create_uid.share', '=', True)],
            order='id')
        for photo in photos:
            photo.generate_access_token()
        return photos

from odoo import fields, models


class IspOnuAssignment(models.Model):
    _name = 'isp.onu.assignment'
    _description = "ONU assignment history"
    _order = 'assigned_at desc, id desc'

    onu_id = fields.Many2one('isp.onu', string="ONU", required=True, index=True, ondelete='cascade', readonly=True)
    subscription_id = fields.Many2one('isp.subscription', string="Subscription", required=True, index=True,
                                      ondelete='cascade', readonly=True)
    assigned_at = fields.Datetime("Assigned on", required=True, default=fields.Datetime.now, readonly=True)
    unassigned_at = fields.Datetime("Unassigned on", readonly=True)

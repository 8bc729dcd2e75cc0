from odoo import fields, models


class IspOnuAssignment(models.Model):
    _name = 'isp.onu.assignment'
    _description = "ONU assignment history"
    _order = 'assigned_at desc, id desc'

    onu_id = fields.Many2one('isp.onu', required=True, index=True, ondelete='cascade', readonly=True)
    subscription_id = fields.Many2one('isp.subscription', required=True, index=True, ondelete='cascade',
                                      readonly=True)
    assigned_at = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    unassigned_at = fields.Datetime(readonly=True)

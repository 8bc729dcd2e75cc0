from odoo import api, fields, models

# Fields a router holds for an entry: changing one reaches the routers through a sync.
ROUTER_FIELDS = ('dst_host', 'device_ids', 'active')


class IspCaptiveWalledGarden(models.Model):
    _name = 'isp.captive.walled_garden'
    _description = "Hotspot walled-garden entry"
    _rec_name = 'dst_host'

    dst_host = fields.Char(
        "Destination host", required=True,
        help="Host hotspot clients may reach before they log in (dst-host of /ip/hotspot/walled-garden). "
             "The provisioner reads the entries of each router through isp.sidecar.api.sidecar_router_policy.")
    comment = fields.Char()
    active = fields.Boolean(default=True)
    device_ids = fields.Many2many(
        'isp.device', string="Routers", help="Routers this entry applies to. Empty: every router.")

    # ------------------------------------------------------------------ ORM

    @api.model_create_multi
    def create(self, vals_list):
        entries = super().create(vals_list)
        entries.filtered('active')._routers()._queue_device_job_unless_pending('device_sync')
        return entries

    def write(self, vals):
        if not any(fname in vals for fname in ROUTER_FIELDS):
            return super().write(vals)
        # An entry that moves off a router, or is archived, must leave the routers it was on.
        before = self.filtered('active')._routers()
        res = super().write(vals)
        (before | self.filtered('active')._routers())._queue_device_job_unless_pending('device_sync')
        return res

    def unlink(self):
        routers = self.filtered('active')._routers()
        res = super().unlink()
        routers._queue_device_job_unless_pending('device_sync')
        return res

    # ------------------------------------------------------------------ business methods

    def _routers(self):
        """The active routers the entries apply to (every active router for an entry listing none)."""
        devices = self.env['isp.device'].sudo()
        if not self:
            return devices
        if any(not entry.device_ids for entry in self.sudo()):
            return devices.search([])
        return self.sudo().device_ids.filtered('active')

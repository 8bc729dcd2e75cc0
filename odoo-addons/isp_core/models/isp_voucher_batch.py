import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError

# Characters nobody misreads on a printed card: no 0/O/o, 1/l/I/i.
LOGIN_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
PASSWORD_ALPHABET = '23456789'
LOGIN_LENGTH = 8
PASSWORD_LENGTH = 6
MAX_VOUCHERS = 1000


def generate_code(alphabet, length):
    return ''.join(secrets.choice(alphabet) for _ in range(length))


class IspVoucherBatch(models.Model):
    _name = 'isp.voucher.batch'
    _inherit = ['isp.sequence.mixin']
    _sequence_code = 'isp.voucher.batch'
    _description = "Hotspot voucher batch"
    _order = 'id desc'

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    device_id = fields.Many2one(
        'isp.device', string="Router", required=True, index=True, ondelete='restrict',
        domain=[('active', '=', True)], help="The router whose hotspot sells these vouchers.")
    sector_id = fields.Many2one(related='device_id.sector_id', store=True, index=True)
    profile = fields.Char(
        required=True, default=lambda self: self._default_profile(),
        help="RouterOS /ip/hotspot/user/profile of the vouchers.")
    count = fields.Integer("Quantity", default=10, required=True, help="How many vouchers to generate (1-1000).")
    validity_days = fields.Integer(
        "Validity (days)", help="How long a voucher lasts after its first login. 0: no limit.")
    limit_uptime_hours = fields.Integer("Uptime limit (hours)", help="Connected time per voucher. 0: no limit.")
    limit_bytes_mb = fields.Integer("Data limit (MB)", help="Traffic per voucher, in and out. 0: no limit.")
    currency_id = fields.Many2one(
        'res.currency', required=True, default=lambda self: self.env.company.currency_id)
    price = fields.Monetary(help="Selling price of one voucher, printed on the cards.")
    state = fields.Selection(
        [('draft', "Draft"), ('generated', "Generated"), ('provisioned', "Provisioned")],
        default='draft', required=True, readonly=True, copy=False,
        help="Generated: the codes exist. Provisioned: their creation on the router is queued.")
    voucher_ids = fields.One2many('isp.captive.user', 'batch_id', string="Vouchers", readonly=True)
    voucher_count = fields.Integer("Generated", compute='_compute_voucher_counts')
    unused_count = fields.Integer("Unused", compute='_compute_voucher_counts')
    in_use_count = fields.Integer("In use", compute='_compute_voucher_counts')
    used_up_count = fields.Integer("Used up", compute='_compute_voucher_counts')
    expired_count = fields.Integer("Expired", compute='_compute_voucher_counts')

    _count_check = models.Constraint(
        f'CHECK(count BETWEEN 1 AND {MAX_VOUCHERS})', "A batch holds between 1 and 1000 vouchers.")
    _limits_check = models.Constraint(
        'CHECK(validity_days >= 0 AND limit_uptime_hours >= 0 AND limit_bytes_mb >= 0 AND price >= 0)',
        "The validity, the limits and the price of vouchers cannot be negative.")

    # ------------------------------------------------------------------ computes

    @api.depends('voucher_ids.voucher_state')
    def _compute_voucher_counts(self):
        for batch in self:
            states = batch.voucher_ids.mapped('voucher_state')
            batch.voucher_count = len(states)
            batch.unused_count = states.count('unused')
            batch.in_use_count = states.count('in_use')
            batch.used_up_count = states.count('used_up')
            batch.expired_count = states.count('expired')

    @api.model
    def _default_profile(self):
        return self.env['ir.config_parameter'].sudo().get_param('isp_core.mac_captive_default_profile') or 'default'

    # ------------------------------------------------------------------ ORM

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if self.filtered(lambda b: b.state != 'draft'):
            raise UserError(self.env._("Only draft voucher batches can be deleted: the others have vouchers."))

    # ------------------------------------------------------------------ actions

    def action_generate(self):
        """Draft batches: create their vouchers (random login and password, unique on the router) and
        queue their creation on the router, all batches in one ``_queue`` call. Returns True."""
        not_draft = self.filtered(lambda b: b.state != 'draft')
        if not_draft:
            raise UserError(self.env._("Voucher batch %s was already generated.", not_draft[0].name))
        self._generate_vouchers()
        self._provision_vouchers()
        return True

    def action_provision(self):
        """Generated batches: queue the creation of their vouchers on the router. Returns True."""
        wrong = self.filtered(lambda b: b.state != 'generated')
        if wrong:
            raise UserError(self.env._("Voucher batch %s has no vouchers waiting for the router.", wrong[0].name))
        self._provision_vouchers()
        return True

    def action_print_cards(self):
        wrong = self.filtered(lambda b: b.state == 'draft')
        if wrong:
            raise UserError(self.env._("Generate the vouchers of batch %s before printing them.", wrong[0].name))
        return self.env.ref('isp_core.isp_voucher_batch_report_cards').report_action(self)

    def action_view_vouchers(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('isp_core.isp_captive_user_action')
        action['domain'] = [('batch_id', '=', self.id)]
        action['context'] = {'create': False}
        return action

    # ------------------------------------------------------------------ business methods

    def _generate_vouchers(self):
        """Create the vouchers of every batch (as superuser: staff never write passwords) → generated."""
        vals_list = []
        for batch in self:
            vals_list.extend({
                'name': login,
                'password': generate_code(PASSWORD_ALPHABET, PASSWORD_LENGTH),
                'profile': batch.profile,
                'device_id': batch.device_id.id,
                'batch_id': batch.id,
                'limit_uptime_hours': batch.limit_uptime_hours,
                'limit_bytes_mb': batch.limit_bytes_mb,
            } for login in batch._new_logins(batch.count))
        self.env['isp.captive.user'].sudo().create(vals_list)
        self.write({'state': 'generated'})

    def _new_logins(self, count):
        """``count`` random logins that no captive user of the batch's router has."""
        self.ensure_one()
        users = self.env['isp.captive.user'].sudo().with_context(active_test=False)
        logins = set()
        while len(logins) < count:
            candidates = {generate_code(LOGIN_ALPHABET, LOGIN_LENGTH) for _ in range(count - len(logins))}
            taken = set(users.search_fetch(
                [('device_id', '=', self.device_id.id), ('name', 'in', list(candidates))], ['name']).mapped('name'))
            logins |= candidates - taken
        return sorted(logins)

    def _provision_vouchers(self):
        """Queue ``captive_user_create`` for the vouchers of the batches in one call → provisioned."""
        jobs = self.voucher_ids.sudo()._queue_jobs('captive_user_create')
        self.write({'state': 'provisioned'})
        return jobs

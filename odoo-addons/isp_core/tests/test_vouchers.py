import re
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from odoo.addons.isp_core.models.isp_provisioning_job import IspProvisioningJob

from .common import IspCoreCase

NOW = datetime(2026, 5, 4, 10, 0, 0)
LOGIN = re.compile(r'^[abcdefghjkmnpqrstuvwxyz23456789]{8}$')
PASSWORD = re.compile(r'^[2-9]{6}$')


@tagged('post_install', '-at_install')
class TestVouchers(IspCoreCase):

    def setUp(self):
        super().setUp()
        self.env['ir.config_parameter'].sudo().set_param('isp_core.mac_captive_default_profile', 'hotspot-1h')
        self.Batch = self.env['isp.voucher.batch'].with_user(self.noc_user)

    def _batch(self, **values):
        vals = {'device_id': self.device.id, 'count': 5, 'validity_days': 2, 'limit_uptime_hours': 1,
                'limit_bytes_mb': 100, 'price': 1.5}
        vals.update(values)
        return self.Batch.create(vals)

    def _login(self, voucher, when, uptime=600, bytes_total=1000):
        """One closed hotspot session of ``voucher`` that started at ``when``."""
        return self.env['isp.captive.session'].create({
            'user_id': voucher.id, 'device_id': voucher.device_id.id, 'login': voucher.name, 'router_id': '*1',
            'started_at': when, 'ended_at': when + timedelta(seconds=uptime), 'uptime_seconds': uptime,
            'bytes_in': bytes_total // 2, 'bytes_out': bytes_total - bytes_total // 2})

    def test_voucher_batch_defaults_and_name(self):
        batch = self._batch()
        self.assertTrue(batch.name.startswith('VCH/'))
        self.assertEqual((batch.profile, batch.state, batch.currency_id),
                         ('hotspot-1h', 'draft', self.env.company.currency_id))
        for count in (0, 1001):
            self.assertIntegrityError('isp.voucher.batch', lambda count=count: self._batch(count=count),
                                      "A batch holds between 1 and 1000 vouchers.")

    def test_voucher_generate_creates_unique_codes_and_queues_once(self):
        batch = self._batch(count=300)
        with patch.object(IspProvisioningJob, '_queue', autospec=True,
                          side_effect=IspProvisioningJob._queue) as queue:
            self.assertIs(batch.action_generate(), True)
        self.assertEqual(queue.call_count, 1)
        self.assertEqual(batch.state, 'provisioned')
        vouchers = batch.voucher_ids.sudo()
        self.assertEqual(len(vouchers), 300)
        self.assertEqual(len(set(vouchers.mapped('name'))), 300)
        self.assertTrue(all(LOGIN.match(login) for login in vouchers.mapped('name')))
        self.assertTrue(all(PASSWORD.match(password) for password in vouchers.mapped('password')))
        self.assertEqual({(v.profile, v.device_id, v.limit_uptime_hours, v.limit_bytes_mb, v.state)
                          for v in vouchers}, {('hotspot-1h', self.device, 1, 100, 'pending')})
        jobs = vouchers.job_ids
        self.assertEqual((len(jobs), set(jobs.mapped('job_type')), jobs.device_id),
                         (300, {'captive_user_create'}, self.device))
        self.assertEqual(batch.voucher_count, 300)
        self.assertEqual(batch.unused_count, 300)
        with self.assertRaisesRegex(UserError, "already generated"):
            batch.action_generate()
        with self.assertRaisesRegex(UserError, "Only draft voucher batches can be deleted"):
            batch.with_user(self.admin_user).unlink()

    def test_voucher_limit_edits_reach_the_router(self):
        batch = self._batch(count=3)
        batch.action_generate()
        live, off, waiting = batch.voucher_ids.sudo().sorted('id')
        live.state, off.state = 'active', 'disabled'
        before = self.env['isp.provisioning_job'].search_count([])
        (live | off | waiting).write({'limit_bytes_mb': 500})
        jobs = self.env['isp.provisioning_job'].search([], order='id desc', limit=2)
        self.assertEqual(self.env['isp.provisioning_job'].search_count([]), before + 2)
        self.assertEqual({(j.captive_user_id, j.job_type) for j in jobs},
                         {(live, 'captive_user_create'), (off, 'captive_user_disable')})
        # The same values again, or what the router does not hold, queue nothing.
        (live | off).write({'limit_bytes_mb': 500})
        live.write({'state': 'active'})
        self.assertEqual(self.env['isp.provisioning_job'].search_count([]), before + 2)

    def test_voucher_logins_avoid_the_routers_existing_ones(self):
        batch = self._batch(count=3)
        taken = self.env['isp.captive.user'].create({'name': 'aaaaaaaa', 'device_id': self.device.id})
        codes = iter(['aaaaaaaa', 'bbbbbbbb', 'cccccccc', 'bbbbbbbb', 'dddddddd'])
        with patch('odoo.addons.isp_core.models.isp_voucher_batch.generate_code',
                   side_effect=lambda alphabet, length: next(codes) if length == 8 else '234567'):
            batch.action_generate()
        self.assertEqual(sorted(batch.voucher_ids.mapped('name')), ['bbbbbbbb', 'cccccccc', 'dddddddd'])
        self.assertNotIn(taken, batch.voucher_ids)

    def test_voucher_state_transitions(self):
        batch = self._batch(count=4)
        batch.action_generate()
        unused, in_use, used_up, expired = batch.voucher_ids.sorted('name')
        with freeze_time(NOW):
            self._login(in_use, NOW - timedelta(hours=1))
            self._login(used_up, NOW - timedelta(hours=1), bytes_total=100 * 1024 * 1024)
            self._login(expired, NOW - timedelta(days=2, minutes=1))
            batch.invalidate_recordset()
            self.assertEqual([v.voucher_state for v in (unused, in_use, used_up, expired)],
                             ['unused', 'in_use', 'used_up', 'expired'])
            self.assertEqual(in_use.first_login_at, NOW - timedelta(hours=1))
            self.assertEqual(in_use.expires_at, NOW + timedelta(days=2, hours=-1))
            self.assertEqual(
                (batch.unused_count, batch.in_use_count, batch.used_up_count, batch.expired_count), (1, 1, 1, 1))
            Captive = self.env['isp.captive.user']
            for state, voucher in (('unused', unused), ('in_use', in_use), ('used_up', used_up),
                                   ('expired', expired)):
                self.assertEqual(Captive.search([('voucher_state', '=', state), ('batch_id', '=', batch.id)]),
                                 voucher, state)
            self.assertEqual(Captive.search([('voucher_state', '!=', 'unused'), ('batch_id', '=', batch.id)]),
                             in_use | used_up | expired)
        with freeze_time(NOW + timedelta(hours=1)):
            self._login(in_use, NOW, uptime=3000)
            self.assertEqual(in_use.voucher_state, 'used_up', "an hour of uptime is its limit")
        self.assertFalse(self.env['isp.captive.user'].create({'name': 'not-a-voucher'}).voucher_state)

    def test_voucher_without_validity_never_expires(self):
        batch = self._batch(count=1, validity_days=0)
        batch.action_generate()
        self._login(batch.voucher_ids, NOW - timedelta(days=400))
        self.assertFalse(batch.voucher_ids.expires_at)
        with freeze_time(NOW):
            self.assertEqual(batch.voucher_ids.voucher_state, 'in_use')

    def test_voucher_expiry_cron_disables_expired(self):
        batch = self._batch(count=3)
        batch.action_generate()
        fresh, expired, disabled = batch.voucher_ids.sorted('name')
        (fresh | expired).sudo().write({'state': 'active'})
        disabled.sudo().write({'state': 'disabled'})
        self._login(fresh, NOW - timedelta(days=1))
        self._login(expired, NOW - timedelta(days=3))
        self._login(disabled, NOW - timedelta(days=3))
        cron = self.env.ref('isp_core.ir_cron_isp_voucher_expiry')
        self.assertEqual(cron.code.strip(), 'model._cron_disable_expired_vouchers()')
        with freeze_time(NOW):
            jobs = self.env['isp.captive.user']._cron_disable_expired_vouchers()
            self.assertEqual((jobs.captive_user_id, jobs.job_type), (expired, 'captive_user_disable'))
            self.assertEqual(expired.state, 'disabled')
            self.assertFalse(self.env['isp.captive.user']._cron_disable_expired_vouchers(), "never twice")

    def test_voucher_cards_render(self):
        batch = self._batch(count=12, price=2.5)
        batch.action_generate()
        report = self.env.ref('isp_core.isp_voucher_batch_report_cards')
        html, _format = report.with_user(self.noc_user)._render_qweb_html(report, batch.ids)
        html = html.decode()
        for voucher in batch.voucher_ids.sudo():
            self.assertIn(voucher.name, html)
            self.assertIn(voucher.password, html)
        self.assertIn(self.env.company.name, html)
        self.assertIn("Valid 2 days from the first login", html)
        self.assertIn("100 MB", html)
        self.assertEqual(html.count('page-break-after: always'), 1, "12 cards: two pages")
        action = batch.with_user(self.noc_user).action_print_cards()
        self.assertEqual(action['report_name'], 'isp_core.report_voucher_cards')

    def test_voucher_cards_only_for_those_who_manage_vouchers(self):
        batch = self._batch(count=1)
        batch.action_generate()
        report = self.env.ref('isp_core.isp_voucher_batch_report_cards')
        with self.assertRaises(AccessError):
            report.with_user(self.support_user)._render_qweb_html(report, batch.ids)
        with self.assertRaisesRegex(UserError, "Generate the vouchers"):
            self._batch().action_print_cards()

    def test_voucher_batches_follow_sector_restriction(self):
        mine = self._batch()
        other = self._batch(device_id=self.device_b.id)
        self.noc_user.isp_sector_ids = self.sector
        self.assertEqual(self.Batch.search([('id', 'in', (mine | other).ids)]), mine)

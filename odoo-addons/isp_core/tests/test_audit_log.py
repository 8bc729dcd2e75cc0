from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import IspCoreCase


@tagged('post_install', '-at_install')
class TestAuditLog(IspCoreCase):

    def setUp(self):
        super().setUp()
        ids = self.api.sidecar_append_audit([{
            'action': 'router.ensure_queue', 'record_model': 'isp.subscription', 'record_id': 1,
            'device_id': self.device.id, 'result': 'success', 'before_json': '{}', 'after_json': '{"a": 1}'}])
        self.entry = self.env['isp.audit_log'].browse(ids)

    def test_author_and_time_are_facts(self):
        self.assertEqual(self.entry.user_id, self.sidecar_user)
        forged = self.env['isp.audit_log'].sudo().create({
            'action': 'forged', 'user_id': self.admin_user.id, 'timestamp': '2000-01-01 00:00:00'})
        self.assertNotEqual(forged.user_id, self.admin_user)
        self.assertNotEqual(str(forged.timestamp), '2000-01-01 00:00:00')

    def test_services_append_only_through_their_api(self):
        with self.assertRaises(AccessError):
            self.env['isp.audit_log'].with_user(self.sidecar_user).create({'action': 'direct'})
        with self.assertRaisesRegex(UserError, r"unknown keys user_id"):
            self.api.sidecar_append_audit([{'action': 'x', 'user_id': self.admin_user.id}])

    def test_write_refused_even_for_superuser(self):
        with self.assertRaisesRegex(UserError, "append-only: entries cannot be changed"):
            self.entry.sudo().write({'result': 'failed'})
        with self.assertRaisesRegex(UserError, "append-only"):
            self.entry.with_user(self.admin_user).write({'result': 'failed'})

    def test_unlink_refused_even_for_superuser(self):
        with self.assertRaisesRegex(UserError, "append-only: entries cannot be deleted"):
            self.entry.sudo().unlink()
        self.assertTrue(self.entry.exists())

    def test_readable_by_admin_and_noc_only(self):
        for user in (self.admin_user, self.noc_user):
            self.assertEqual(self.entry.with_user(user).action, 'router.ensure_queue')
        for user in (self.support_user, self.billing_user, self.field_user, self.plain_user):
            with self.assertRaises(AccessError, msg=user.login):
                self.entry.with_user(user).read(['action'])

    def test_staff_cannot_create_entries(self):
        with self.assertRaises(AccessError):
            self.env['isp.audit_log'].with_user(self.noc_user).create({'action': 'forged'})


@tagged('post_install', '-at_install')
class TestAuditLogReading(IspCoreCase):
    """Entries keep the codes they were written with; people read words and follow a link."""

    def _entry(self, **values):
        ids = self.api.sidecar_append_audit([dict({'action': 'suspend_subscription', 'result': 'success'}, **values)])
        return self.env['isp.audit_log'].browse(ids)

    def test_provisioner_codes_read_as_words(self):
        entry = self._entry(record_model='isp.subscription', record_id=self._subscription().id)
        self.assertEqual(entry.action, 'suspend_subscription', "the code stays in storage")
        self.assertEqual(entry.action_label, "Suspend subscription")
        self.assertEqual(entry.result, 'success')
        self.assertEqual(entry.result_label, "Applied on the router")
        self.assertEqual(entry.record_model_name, "ISP subscription")

    def test_odoo_codes_and_unknown_codes_read_as_words(self):
        sub = self._subscription()
        sub.action_activate()
        logged = self.env['isp.audit_log'].search([('record_model', '=', sub._name), ('record_id', '=', sub.id)])
        self.assertEqual(logged.mapped('action_label'), ["Subscription activated"])
        self.assertEqual(logged.result_label, "Queued")
        self.assertEqual(self._entry(action='router.ensure_queue', result='half_done').action_label,
                         "Router ensure queue")
        self.assertEqual(self._entry(result='half_done').result_label, "Half done")

    def test_record_is_a_link_to_the_record(self):
        sub = self._subscription()
        entry = self._entry(record_model='isp.subscription', record_id=sub.id)
        self.assertEqual(entry.record_ref, sub)
        action = entry.with_user(self.noc_user).action_open_record()
        self.assertEqual((action['res_model'], action['res_id']), ('isp.subscription', sub.id))
        router = self._entry(record_model='isp.device', record_id=self.device.id)
        self.assertEqual(router.record_ref, self.device)
        self.assertEqual(router.record_model_name, "MikroTik router")

    def test_gone_or_unknown_records_have_no_link(self):
        sub = self._subscription()
        gone = self._entry(record_model='isp.subscription', record_id=sub.id)
        sub.unlink()
        gone.invalidate_recordset(['record_ref'])
        self.assertFalse(gone.record_ref)
        with self.assertRaisesRegex(UserError, "no longer exists"):
            gone.action_open_record()
        unknown = self._entry(record_model='x.not_a_model', record_id=3)
        self.assertFalse(unknown.record_ref)
        self.assertEqual(unknown.record_model_name, 'x.not_a_model')

    def test_list_and_form_show_words_and_link(self):
        for view_type in ('list', 'form'):
            arch = self.env['isp.audit_log'].get_views([(False, view_type)])['views'][view_type]['arch']
            for name in ('action_label', 'record_model_name', 'record_ref', 'result_label'):
                self.assertIn(f'name="{name}"', arch, f"{view_type} view lacks {name}")
            self.assertIn('name="action_open_record"', arch)

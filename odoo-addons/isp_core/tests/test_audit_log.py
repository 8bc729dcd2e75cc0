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

from xmlrpc.client import Fault

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail

from .common import IspPortalCase

AUTO_GRANT = 'isp_portal.auto_grant_portal'
# Back-office fields a customer has no business reading, even over the external API.
HIDDEN_SUBSCRIPTION_FIELDS = ('device_id', 'sector_id', 'onu_id', 'job_ids', 'mac_profile_ids',
                              'onu_assignment_ids', 'pppoe_password', 'manual_suspension_only')


@tagged('post_install', '-at_install')
class TestGrantPortalAccess(IspPortalCase, MockEmail):

    def _customer(self, name, email):
        return self.env['res.partner'].create({'name': name, 'email': email})

    def _draft_subscription(self, partner):
        self._mac_counter += 1
        return self.env['isp.subscription'].create({
            'partner_id': partner.id, 'plan_id': self.plan.id, 'sector_id': self.sector.id,
            'device_id': self.device.id, 'service_mac': '02:00:00:02:00:%02X' % self._mac_counter,
            'gps_lat': 18.4861, 'gps_lng': -69.9312, 'billing_day': 1,
        })

    def _portal_user_of(self, partner):
        return self.env['res.users'].with_context(active_test=False).search([('partner_id', '=', partner.id)])

    def test_grant_creates_portal_user_and_mails_invitation(self):
        partner = self._customer("Marta Díaz", 'marta@example.com')
        sub = self._draft_subscription(partner)
        with self.mock_mail_gateway():
            result = sub.with_user(self.billing_user).action_grant_portal_access()
        user = self._portal_user_of(partner)
        self.assertEqual(len(user), 1)
        self.assertTrue(user._is_portal())
        self.assertEqual(user.login, 'marta@example.com')
        self.assertEqual(len(self._new_mails), 1)
        self.assertIn('marta@example.com', self._new_mails.email_to or self._new_mails.recipient_ids.email)
        self.assertEqual(result['tag'], 'display_notification')
        self.assertTrue(sub.portal_user_ok)

        # Again: harmless, nothing new.
        with self.mock_mail_gateway():
            again = sub.with_user(self.billing_user).action_grant_portal_access()
        self.assertEqual(self._portal_user_of(partner), user)
        self.assertFalse(self._new_mails)
        self.assertIn("already", again['params']['message'])

    def test_grant_for_existing_portal_customer_is_harmless(self):
        with self.mock_mail_gateway():
            self.sub_a.action_grant_portal_access()
        self.assertEqual(self._portal_user_of(self.customer), self.portal_a)
        self.assertFalse(self._new_mails)

    def test_grant_without_email_is_refused(self):
        partner = self._customer("Sin Correo", False)
        sub = self._draft_subscription(partner)
        with self.assertRaisesRegex(UserError, "Sin Correo has no e-mail address"):
            sub.action_grant_portal_access()
        self.assertFalse(self._portal_user_of(partner))

    def test_grant_needs_isp_staff(self):
        clerk = new_test_user(self.env, 'clerk', groups='base.group_user')
        with self.assertRaises(AccessError):
            self.sub_a.with_user(clerk).action_grant_portal_access()
        with self.assertRaises(AccessError):
            self.sub_a.with_user(self.portal_a).action_grant_portal_access()

    def test_auto_grant_on_activation(self):
        partner = self._customer("Rosa Peralta", 'rosa@example.com')
        sub = self._draft_subscription(partner)
        self.env['ir.config_parameter'].sudo().set_param(AUTO_GRANT, 'True')
        with self.mock_mail_gateway():
            sub.action_activate()
        self.assertEqual(sub.state, 'active')
        self.assertTrue(self._portal_user_of(partner)._is_portal())
        self.assertEqual(len(self._new_mails), 1)

    def test_auto_grant_off_by_default(self):
        self.assertFalse(self.env['ir.config_parameter'].sudo().get_param(AUTO_GRANT))
        partner = self._customer("Pedro Núñez", 'pedro@example.com')
        sub = self._draft_subscription(partner)
        sub.action_activate()
        self.assertFalse(self._portal_user_of(partner))

    def test_auto_grant_never_blocks_activation(self):
        partner = self._customer("Sin Correo", False)
        sub = self._draft_subscription(partner)
        self.env['ir.config_parameter'].sudo().set_param(AUTO_GRANT, 'True')
        sub.action_activate()
        self.assertEqual(sub.state, 'active')
        self.assertFalse(self._portal_user_of(partner))
        self.assertIn("no e-mail address", sub.message_ids[:1].body)

    def test_grant_button_for_isp_staff(self):
        field_tech = new_test_user(self.env, 'field_tech', groups='isp_core.group_isp_field')
        for user, shown in ((self.billing_user, True), (field_tech, False)):
            arch = self.env['isp.subscription'].with_user(user).get_views([(False, 'form')])['views']['form']['arch']
            self.assertEqual('name="action_grant_portal_access"' in arch, shown, user.login)

    def test_settings(self):
        arch = self.env['res.config.settings'].get_views([(False, 'form')])['views']['form']['arch']
        for fname in ('isp_portal_auto_grant_portal', 'isp_portal_promise_days'):
            self.assertIn(f'name="{fname}"', arch)

        params = self.env['ir.config_parameter'].sudo()
        self.assertEqual(params.get_param('isp_portal.promise_days'), '0')
        self.env['res.config.settings'].create({
            'isp_portal_auto_grant_portal': True, 'isp_portal_promise_days': 3}).execute()
        self.assertEqual(params.get_param('isp_portal.promise_days'), '3')
        self.assertTrue(params.get_param(AUTO_GRANT))
        with self.assertRaises(ValidationError):
            self.env['res.config.settings'].create({'isp_portal_promise_days': -1}).execute()


@tagged('post_install', '-at_install')
class TestExternalApiIsolation(IspPortalCase):
    """A portal user over XML-RPC, with their own password: their own ISP records, read only."""

    def _rpc(self, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, self.portal_a.id, 'portal_a', model, method, list(args), kwargs)

    @mute_logger('odoo.addons.rpc.controllers.xmlrpc', 'odoo.http')
    def test_reads_only_own_subscriptions(self):
        visible = self._rpc('isp.subscription', 'fields_get', attributes=['type'])
        for fname in HIDDEN_SUBSCRIPTION_FIELDS:
            self.assertNotIn(fname, visible)
            with self.assertRaises(Fault, msg=fname):
                self._rpc('isp.subscription', 'read', self.sub_a.ids, fields=[fname])
        rows = self._rpc('isp.subscription', 'search_read', [], fields=[
            'name', 'state', 'plan_id', 'partner_id', 'suspension_reason', 'next_invoice_date', 'service_mac'])
        self.assertEqual([row['id'] for row in rows], self.sub_a.ids)
        self.assertEqual(rows[0]['plan_id'][0], self.plan.id)
        self.assertEqual(self._rpc('isp.subscription', 'search', [('id', '=', self.sub_b.id)]), [])
        with self.assertRaises(Fault):
            self._rpc('isp.subscription', 'read', [self.sub_b.id], fields=['name'])
        invoices = self._rpc('account.move', 'search_read', [('isp_subscription_id', '!=', False)], fields=['name'])
        self.assertEqual([row['id'] for row in invoices], self.invoice_a.ids)

    @mute_logger('odoo.addons.rpc.controllers.xmlrpc', 'odoo.http')
    def test_plans_readable_without_back_office_fields(self):
        legacy = self.env['isp.service_plan'].create({'name': "Legacy 5/1", 'down_mbps': 5, 'up_mbps': 1})
        legacy_b = self._portal_subscription(self.customer_b, plan=legacy)
        self.plan_taxed.active = False
        rows = self._rpc('isp.service_plan', 'search_read', [], fields=['name', 'down_mbps', 'up_mbps', 'price'])
        self.assertIn(self.plan.id, [row['id'] for row in rows])
        self.assertNotIn(self.plan_taxed.id, [row['id'] for row in rows], "archived plans are not offered")
        for fname in ('subscription_count', 'subscription_ids', 'tax_ids', 'product_id'):
            with self.assertRaises(Fault, msg=fname):
                self._rpc('isp.service_plan', 'read', self.plan.ids, fields=[fname])
        # An archived plan: readable by its customers only.
        legacy.active = False
        with self.assertRaises(Fault):
            self._rpc('isp.service_plan', 'read', legacy.ids, fields=['name'])
        legacy_b.partner_id = self.customer
        self.assertEqual(self._rpc('isp.service_plan', 'read', legacy.ids, fields=['name'])[0]['name'], "Legacy 5/1")

    @mute_logger('odoo.addons.rpc.controllers.xmlrpc', 'odoo.http')
    def test_writes_nothing(self):
        attempts = [
            ('isp.subscription', 'write', [self.sub_a.ids, {'plan_id': self.plan_taxed.id}]),
            ('isp.subscription', 'create', [{'partner_id': self.customer.id, 'plan_id': self.plan.id}]),
            ('isp.subscription', 'unlink', [self.sub_a.ids]),
            ('isp.subscription', 'action_reconnect', [self.sub_a.ids]),
            ('isp.subscription', 'action_suspend', [self.sub_a.ids]),
            ('isp.subscription', 'action_grant_portal_access', [self.sub_a.ids]),
            ('isp.service_plan', 'write', [self.plan.ids, {'price': 1.0}]),
            ('isp.service_plan', 'create', [{'name': "Free", 'down_mbps': 100, 'up_mbps': 100}]),
            ('isp.service_plan', 'unlink', [self.plan.ids]),
            ('account.move', 'write', [self.invoice_a.ids, {'ref': "paid"}]),
            ('account.move', 'create', [{'move_type': 'out_invoice', 'partner_id': self.customer.id}]),
            ('account.move', 'unlink', [self.invoice_a.ids]),
            ('account.move', 'action_post', [self.invoice_a.ids]),
        ]
        for model, method, args in attempts:
            with self.subTest(model=model, method=method), self.assertRaises(Fault):
                self.xmlrpc_object.execute_kw(self.env.cr.dbname, self.portal_a.id, 'portal_a', model, method, args)
        self.assertEqual(self.sub_a.plan_id, self.plan)
        self.assertEqual(self.sub_a.state, 'active')
        self.assertEqual(self.plan.price, 31.0)
        self.assertEqual(self.invoice_a.state, 'posted')
        self.assertFalse(self.invoice_a.ref)

from unittest.mock import patch
from xmlrpc.client import Fault

from odoo import Command
from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import format_date, mute_logger

from odoo.addons.isp_portal.controllers.plan_change import IspPlanChangePortal

from .common import IspPortalCase


@tagged('post_install', '-at_install')
class TestPortalPlanChange(IspPortalCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan_fast = cls.plan_taxed
        cls.plan_old = cls.env['isp.service_plan'].create({
            'name': "Legacy 5/1", 'down_mbps': 5, 'up_mbps': 1, 'price': 15.0, 'active': False})
        cls.support_user = new_test_user(
            cls.env, 'isp_support_portal_test', groups='isp_core.group_isp_support',
            company_id=cls.env.company.id, company_ids=[Command.set(cls.env.company.ids)])
        cls.Request = cls.env['isp.plan.change.request']

    def _form_url(self, sub):
        return f'/my/isp/plan/change?subscription_id={sub.id}'

    def _ask(self, sub, plan, **extra):
        return self._post('/my/isp/plan/change', {'subscription_id': sub.id, 'plan_id': plan, **extra})

    def _requests(self, sub=None):
        return self.Request.search([('subscription_id', '=', (sub or self.sub_a).id)])

    def _portal_request(self):
        """A request made by customer A through the portal form."""
        self._login(self.portal_a)
        response = self._ask(self.sub_a, self.plan_fast.id)
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.redirected_to = response.headers['Location']
        return self._requests()

    # ------------------------------------------------------------------ form

    def test_form_shows_plans_price_difference_and_effective_date(self):
        self._login(self.portal_a)
        response = self.url_open(self._form_url(self.sub_a))
        self.assertEqual(response.status_code, 200)
        page = response.text
        effective = self.Request.new({'subscription_id': self.sub_a.id})._next_billing_date()
        for text in ("DHCP 20/5", "20/5 Mbps", "Fibra 100/20", "100/20 Mbps", "100.00", "69.00",
                     format_date(self.env, effective), 'name="plan_id"', 'name="csrf_token"'):
            self.assertIn(text, page)
        # Neither the archived plan nor the current one is offered as a choice.
        self.assertNotIn("Legacy 5/1", page)
        self.assertEqual(page.count('type="radio"'), len(self.env['isp.service_plan'].search([])) - 1)

    def test_form_shows_open_request_instead_of_choice(self):
        change = self._portal_request()
        page = self.url_open(self._form_url(self.sub_a)).text
        self.assertIn("You already asked to change to", page)
        self.assertIn(change.access_url, page)
        self.assertIn("Requested", page)
        self.assertNotIn('type="radio"', page)

    def test_form_of_terminated_subscription_offers_nothing(self):
        self.sub_a.action_terminate()
        self._login(self.portal_a)
        page = self.url_open(self._form_url(self.sub_a)).text
        self.assertIn("is not in service", page)
        self.assertNotIn('type="radio"', page)

    def test_someone_elses_subscription_is_not_found(self):
        self._login(self.portal_a)
        for url in (self._form_url(self.sub_b), '/my/isp/plan/change?subscription_id=abc',
                    '/my/isp/plan/change'):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(self.sub_b.name, response.text)

    # ------------------------------------------------------------------ request

    def test_request_created_in_requested_state(self):
        change = self._portal_request()
        self.assertEqual(len(change), 1)
        self.assertEqual((change.state, change.requested_plan_id, change.current_plan_id, change.partner_id),
                         ('requested', self.plan_fast, self.plan, self.customer))
        self.assertIn(self.customer, change.message_partner_ids)
        self.assertEqual(change.create_uid, self.portal_a)
        # Nothing changes on the subscription before staff approve.
        self.assertEqual(self.sub_a.plan_id, self.plan)
        self.assertFalse(self.sub_a.job_ids.filtered(lambda j: j.job_type == 'change_plan'))
        self.assertTrue(self.redirected_to.endswith(f'{change.access_url}?created=1'))
        page = self.url_open(self.redirected_to).text
        self.assertIn("Your request is sent", page)
        self.assertNotIn("Ask for another plan", page)
        self.assertIn("We received your request", page)
        self.assertIn("Expected effective date", page)

    def test_refusals_store_nothing(self):
        self.sub_a.action_terminate()
        sub_live = self._portal_subscription(self.customer)
        self.Request.create({'subscription_id': sub_live.id, 'requested_plan_id': self.plan_fast.id})
        sub_free = self._portal_subscription(self.customer)
        self._login(self.portal_a)
        cases = [
            ("second open request", sub_live, self.plan_fast.id, "already has an open plan change request"),
            ("same plan", sub_free, self.plan.id, "You already have plan DHCP 20/5"),
            ("archived plan", sub_free, self.plan_old.id, "This plan is not available"),
            ("plan that does not exist", sub_free, 999999, "This plan is not available"),
            ("plan id out of range", sub_free, 2 ** 40, "Choose one of the plans"),
            ("no plan", sub_free, '', "Choose one of the plans"),
            ("terminated subscription", self.sub_a, self.plan_fast.id, "is not in service"),
        ]
        before = self.Request.search_count([])
        for label, sub, plan, message in cases:
            with self.subTest(label):
                response = self._ask(sub, plan)
                self.assertEqual(response.status_code, 422)
                self.assertIn(message, response.text)
                self.assertEqual(self.Request.search_count([]), before)

    def test_simultaneous_second_request_is_caught_by_the_unique_index(self):
        """Two submissions that both pass the check: the database keeps one, the page explains."""
        self.Request.create({'subscription_id': self.sub_a.id, 'requested_plan_id': self.plan_fast.id})
        self._login(self.portal_a)
        checked = []

        def nothing_open(controller, sub):
            checked.append(sub)
            return sub.env['isp.plan.change.request']

        with patch.object(IspPlanChangePortal, '_isp_open_request', nothing_open), mute_logger('odoo.sql_db'):
            response = self._ask(self.sub_a, self.plan_fast.id)
        self.assertEqual(response.status_code, 422)
        self.assertIn("already has an open plan change request", response.text)
        self.assertTrue(checked)
        self.assertEqual(len(self._requests()), 1)

    def test_someone_elses_subscription_is_refused_with_404(self):
        self._login(self.portal_a)
        response = self._ask(self.sub_b, self.plan_fast.id)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._requests(self.sub_b))

    def test_missing_csrf_token_is_refused(self):
        self._login(self.portal_a)
        response = self.url_open('/my/isp/plan/change', data={
            'subscription_id': self.sub_a.id, 'plan_id': self.plan_fast.id}, allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._requests())

    # ------------------------------------------------------------------ request page

    def test_request_page_of_someone_else_is_not_found(self):
        change_b = self.Request.create({'subscription_id': self.sub_b.id, 'requested_plan_id': self.plan_fast.id})
        self._login(self.portal_a)
        for url in (change_b.access_url, '/my/isp/plan/requests/0', '/my/isp/plan/requests/x'):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(change_b.name, response.text)
                self.assertNotIn(self.customer_b.name, response.text)

    def test_request_page_follows_the_state(self):
        change = self._portal_request()
        change.with_user(self.support_user).action_reject("No 100 Mbps coverage in your sector yet")
        page = self.url_open(change.access_url).text
        self.assertIn("Rejected", page)
        self.assertIn("No 100 Mbps coverage in your sector yet", page)
        self.assertIn("Ask for another plan", page)
        self.assertIn('id="discussion"', page)
        self.assertIn(f'data-token="{change.access_token}"', page)

    def test_chatter_of_someone_elses_request_is_closed(self):
        mine = self._portal_request()
        change_b = self.Request.create({'subscription_id': self.sub_b.id, 'requested_plan_id': self.plan_fast.id})
        change_b._portal_ensure_token()
        self.url_open(mine.access_url)  # gives the request its access token
        before = len(change_b.message_ids)
        for access in ({}, {'token': mine.access_token}):
            with self.subTest(access=access), self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request('/mail/message/post', {
                    'thread_model': change_b._name, 'thread_id': change_b.id,
                    'post_data': {'body': "Hijack", 'message_type': 'comment'}, **access})
        change_b.invalidate_recordset()
        self.assertEqual(len(change_b.message_ids), before)
        # On their own request the customer writes through the page's token.
        self.make_jsonrpc_request('/mail/message/post', {
            'thread_model': mine._name, 'thread_id': mine.id, 'token': mine.access_token,
            'post_data': {'body': "Can it be sooner?", 'message_type': 'comment'}})
        self.assertEqual((mine.message_ids[0].author_id, mine.message_ids[0].body),
                         (self.customer, "<p>Can it be sooner?</p>"))

    # ------------------------------------------------------------------ notifications

    def _customer_mails(self, change):
        return self.env['mail.mail'].search([
            ('model', '=', change._name), ('res_id', '=', change.id),
            ('recipient_ids', 'in', self.customer.ids)])

    def _customer_messages(self, change):
        return change.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref('mail.mt_comment') and self.customer in m.partner_ids)

    def test_approval_notifies_with_effective_date(self):
        change = self._portal_request()
        staff = change.with_user(self.support_user).with_context(mail_notify_force_send=False)
        staff.action_approve()
        self.assertEqual(change.state, 'approved')
        message = self._customer_messages(change)
        self.assertEqual(len(message), 1)
        self.assertIn("is approved", message.body)
        self.assertIn(format_date(self.env, change.effective_date), message.body)
        mail = self._customer_mails(change)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, 'outgoing')
        self.assertIn(format_date(self.env, change.effective_date), mail.body_html)
        page = self.url_open(change.access_url).text
        self.assertIn("Approved", page)
        self.assertIn(format_date(self.env, change.effective_date), page)

    def test_rejection_notifies_with_reason(self):
        change = self._portal_request()
        change.with_user(self.support_user).with_context(mail_notify_force_send=False).action_reject(
            "Coverage does not allow it")
        message = self._customer_messages(change)
        self.assertEqual(len(message), 1)
        self.assertIn("Coverage does not allow it", message.body)
        self.assertIn("Coverage does not allow it", self._customer_mails(change).body_html)

    def test_approval_provisions_and_notifies_when_applied(self):
        """Portal request → back-office approval → plan written → change_plan job, customer told twice."""
        change = self._portal_request()
        staff = change.with_user(self.support_user).with_context(mail_notify_force_send=False)
        staff.action_approve()
        self.assertEqual(self.sub_a.plan_id, self.plan)
        staff.action_apply()
        self.assertEqual(change.state, 'applied')
        self.assertEqual(self.sub_a.plan_id, self.plan_fast)
        jobs = self.sub_a.job_ids.filtered(lambda j: j.job_type == 'change_plan')
        self.assertEqual(len(jobs), 1)
        self.assertEqual(jobs.state, 'queued')
        bodies = self._customer_messages(change).mapped('body')
        self.assertEqual(len(bodies), 2)
        self.assertTrue(any("Your plan is now Fibra 100/20" in body for body in bodies))
        self.assertEqual(len(self._customer_mails(change)), 2)
        page = self.url_open(change.access_url).text
        self.assertIn("Applied", page)
        self.assertIn("Your new plan is active", page)
        # The subscription is free for a new request.
        self.assertNotIn("You already asked", self.url_open(self._form_url(self.sub_a)).text)

    # ------------------------------------------------------------------ external API

    def test_external_api_reads_own_requests_and_writes_none(self):
        mine = self.Request.create({'subscription_id': self.sub_a.id, 'requested_plan_id': self.plan_fast.id})
        theirs = self.Request.create({'subscription_id': self.sub_b.id, 'requested_plan_id': self.plan_fast.id})
        db = self.env.cr.dbname
        uid = self.xmlrpc_common.authenticate(db, 'portal_a', 'portal_a', {})
        self.assertEqual(uid, self.portal_a.id)

        def call(method, *args, **kwargs):
            return self.xmlrpc_object.execute_kw(
                db, uid, 'portal_a', 'isp.plan.change.request', method, list(args), kwargs)

        rows = call('search_read', [], fields=['name', 'state', 'requested_plan_id', 'effective_date'])
        self.assertEqual([row['id'] for row in rows], mine.ids)
        self.assertEqual(rows[0]['requested_plan_id'][0], self.plan_fast.id)
        with self.assertRaises(Fault):
            call('read', mine.ids, ['sector_id'])
        with self.assertRaises(Fault):
            call('read', theirs.ids, ['name'])
        with self.assertRaises(Fault):
            call('write', mine.ids, {'state': 'approved'})
        with self.assertRaises(Fault):
            call('create', {'subscription_id': self.sub_a.id, 'requested_plan_id': self.plan_old.id})
        with self.assertRaises(Fault):
            call('action_approve', mine.ids)
        self.assertEqual(mine.state, 'requested')

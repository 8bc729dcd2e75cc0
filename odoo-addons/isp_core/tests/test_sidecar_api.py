import inspect

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import IspCoreCase

# Every method of the face, with arguments of the right shape (the guard comes before any check).
METHODS = {
    'sidecar_pending_jobs': ([], {'limit': 10}),
    'sidecar_read_jobs': ([[1]], {}),
    'sidecar_mark_running': ([[1]], {}),
    'sidecar_mark_done': ([[1]], {'notes': None}),
    'sidecar_mark_failed': ([[1], "trap"], {'final': False}),
    'sidecar_mark_waiting': ([[1], "router offline"], {}),
    'sidecar_subscription_snapshot': ([], {'subscription_ids': [1]}),
    'sidecar_router_credentials': ([[1]], {}),
    'sidecar_router_policy': ([[1]], {}),
    'sidecar_report_router_status': ([1, {'status': 'online'}], {}),
    'sidecar_captive_users': ([[1]], {}),
    'sidecar_set_captive_state': ([[1], 'active'], {}),
    'sidecar_append_audit': ([[{'action': 'forged'}]], {}),
    'sidecar_register_leases': ([[]], {}),
    'sidecar_sync_sessions': ([1, []], {}),
}
ISP_MODELS = ('isp.subscription', 'isp.provisioning_job', 'isp.device', 'isp.captive.user', 'isp.captive.session',
              'isp.mac.profile', 'isp.audit_log', 'isp.sector', 'isp.service_plan', 'isp.voucher.batch')


@tagged('post_install', '-at_install')
class TestSidecarApi(IspCoreCase):
    """isp.sidecar.api: the services' one face, behind one guard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(cls.env, 'isp_portal_customer', groups='base.group_portal')

    def test_the_guard_list_names_every_method_of_the_face(self):
        Api = type(self.env['isp.sidecar.api'])
        public = {name for name, _member in inspect.getmembers(Api, callable)
                  if name.startswith('sidecar_')}
        self.assertEqual(public, set(METHODS), "a new sidecar_ method needs its line in METHODS")

    def test_guard_refuses_everybody_but_the_services(self):
        for user in (self.noc_user, self.portal_user, self.plain_user, self.admin_user):
            api = self.env['isp.sidecar.api'].with_user(user)
            for method, (args, kwargs) in METHODS.items():
                with self.subTest(user=user.login, method=method), \
                        self.assertRaisesRegex(AccessError, "Only the ISP services user"):
                    getattr(api, method)(*args, **kwargs)

    def test_services_have_no_orm_rights_on_isp_records(self):
        group = self.env.ref('isp_core.group_isp_sidecar')
        self.assertFalse(self.env['ir.model.access'].search([('group_id', '=', group.id)]))
        for model in ISP_MODELS:
            for operation in ('read', 'write', 'create', 'unlink'):
                with self.subTest(model=model, operation=operation):
                    self.assertFalse(self.env[model].with_user(self.sidecar_user).has_access(operation))
        sub = self._active_subscription()
        with self.assertRaises(AccessError):
            sub.with_user(self.sidecar_user).write({'state': 'suspended'})
        with self.assertRaises(AccessError):
            sub.with_user(self.sidecar_user).read(['name'])
        with self.assertRaises(AccessError):
            self.env['isp.captive.user'].with_user(self.sidecar_user).search_read([], ['password'])
        with self.assertRaises(AccessError):
            sub.job_ids.with_user(self.sidecar_user).write({'state': 'success'})
        self.assertEqual(sub.state, 'active')

    def test_a_job_through_the_face(self):
        sub = self._active_subscription()
        job = sub.job_ids
        [pending] = [row for row in self.api.sidecar_pending_jobs(limit=500) if row['id'] == job.id]
        self.assertEqual(pending['job_type'], 'activate_subscription')
        [row] = self.api.sidecar_read_jobs(job.ids + [999999999])
        self.assertEqual((row['id'], row['state'], row['subscription_id'][0], row['device_id'][0]),
                         (job.id, 'queued', sub.id, self.device.id))
        [snapshot] = self.api.sidecar_subscription_snapshot(subscription_ids=sub.ids)
        self.assertEqual(snapshot['service_mac'], sub.service_mac)
        self.assertEqual([s['id'] for s in self.api.sidecar_subscription_snapshot(device_id=self.device.id)],
                         [sub.id])
        self.assertEqual(self.api.sidecar_router_policy([self.device.id])[0]['device_id'], self.device.id)
        self.assertIs(self.api.sidecar_mark_running(job.ids), True)
        self.assertIs(self.api.sidecar_mark_waiting(job.ids, "router offline"), True)
        self.assertIs(self.api.sidecar_mark_running(job.ids), True)
        self.assertIs(self.api.sidecar_mark_failed(job.ids, "trap"), True)
        self.assertEqual((job.state, job.error_message), ('queued', "trap"))
        self.api.sidecar_mark_running(job.ids)
        self.assertIs(self.api.sidecar_mark_done(job.ids, notes={str(job.id): 'cut_at_next_lease'}), True)
        self.assertEqual(job.state, 'success')
        self.assertTrue(job.result_note)
        [audit_id] = self.api.sidecar_append_audit([{
            'action': 'router.ensure_lease', 'record_model': 'isp.subscription', 'record_id': sub.id,
            'device_id': self.device.id, 'job_id': job.id, 'before_json': 'null', 'after_json': '{}',
            'result': 'success'}])
        audit = self.env['isp.audit_log'].browse(audit_id)
        self.assertEqual((audit.job_id, audit.user_id), (job, self.sidecar_user))
        self.assertIs(self.api.sidecar_report_router_status(self.device.id, {'status': 'online'}), True)
        self.assertEqual(self.device.status, 'online')

    def test_hotspot_users_and_leases_through_the_face(self):
        user = self.env['isp.captive.user'].create({
            'name': 'guest-api', 'password': 's3cret', 'device_id': self.device.id, 'limit_bytes_mb': 5})
        [row] = self.api.sidecar_captive_users(user.ids)
        self.assertEqual((row['name'], row['password'], row['state'], row['limit_bytes_mb']),
                         ('guest-api', 's3cret', 'pending', 5))
        for state in ('active', 'disabled', 'removed'):
            self.assertIs(self.api.sidecar_set_captive_state(user.ids, state), True)
            self.assertEqual(user.state, state)
        result = self.api.sidecar_register_leases([{'mac': '02:00:00:00:CC:01', 'ip': '10.20.0.31', 'bound': True,
                                                    'server': 'dhcp-lan', 'hostname': 'x', 'router': 'SER-A'}])
        self.assertEqual(len(result['profile_ids']), 1)
        counts = self.api.sidecar_sync_sessions(self.device.id, [])
        self.assertEqual(counts, {'opened': 0, 'updated': 0, 'closed': 0})

    def test_arguments_are_checked(self):
        job = self._active_subscription().job_ids
        cases = [
            ('sidecar_pending_jobs', [], {'limit': 0}, "limit must be a positive integer"),
            ('sidecar_pending_jobs', [], {'limit': True}, "limit must be a positive integer"),
            ('sidecar_read_jobs', [job.id], {}, "job_ids must be a list of record ids"),
            ('sidecar_read_jobs', [['1']], {}, "job_ids must be a list of record ids"),
            ('sidecar_mark_running', [[True]], {}, "job_ids must be a list of record ids"),
            ('sidecar_mark_running', [[999999999]], {}, "These provisioning jobs do not exist: 999999999"),
            ('sidecar_mark_done', [job.ids], {'notes': ['cut_at_next_lease']}, "Job notes must be a mapping"),
            ('sidecar_mark_failed', [job.ids, None], {}, "error must be a text"),
            ('sidecar_mark_failed', [job.ids, "trap"], {'final': 'yes'}, "final must be true or false"),
            ('sidecar_mark_waiting', [job.ids, 42], {}, "reason must be a text"),
            ('sidecar_subscription_snapshot', [], {}, "Give either subscription_ids or device_id"),
            ('sidecar_subscription_snapshot', [], {'subscription_ids': [1], 'device_id': 1},
             "Give either subscription_ids or device_id"),
            ('sidecar_subscription_snapshot', [], {'device_id': '1'}, "device_id must be a record id"),
            ('sidecar_router_credentials', ['1'], {}, "device_ids must be a list of record ids"),
            ('sidecar_router_policy', [[-1]], {}, "device_ids must be a list of record ids"),
            ('sidecar_report_router_status', [999999999, {'status': 'online'}], {}, "Router 999999999 does not"),
            ('sidecar_report_router_status', [self.device.id, ['online']], {}, "values must be an object"),
            ('sidecar_report_router_status', [self.device.id, {'mgmt_ip': '1.2.3.4'}], {}, "cannot be reported"),
            ('sidecar_captive_users', [None], {}, "user_ids must be a list of record ids"),
            ('sidecar_set_captive_state', [[1], 'pending'], {}, "'pending' is not a state a router reports"),
            ('sidecar_append_audit', [{'action': 'x'}], {}, "entries must be a list"),
            ('sidecar_append_audit', [['x']], {}, r"entries\[0\] must be an object"),
            ('sidecar_append_audit', [[{'result': 'ok'}]], {}, r"entries\[0\]: action must be a non-empty text"),
            ('sidecar_append_audit', [[{'action': 'x', 'record_id': '7'}]], {}, "record_id must be a record id"),
            ('sidecar_append_audit', [[{'action': 'x', 'after_json': {'a': 1}}]], {}, "after_json must be a text"),
            ('sidecar_append_audit', [[{'action': 'x', 'job_id': 999999999}]], {}, "job_id that do not exist"),
            ('sidecar_register_leases', [{'mac': 'x'}], {}, "expects a list"),
            ('sidecar_sync_sessions', ['1', []], {}, "device_id must be a router id"),
        ]
        audit_before = self.env['isp.audit_log'].search_count([])
        for method, args, kwargs, message in cases:
            with self.subTest(method=method, args=args, kwargs=kwargs), self.assertRaisesRegex(UserError, message):
                getattr(self.api, method)(*args, **kwargs)
        self.assertEqual(job.state, 'queued', "nothing written")
        self.assertEqual(self.env['isp.audit_log'].search_count([]), audit_before, "nothing appended")

    def test_old_names_are_gone_but_the_contract_names_stay(self):
        for model, method in (('isp.provisioning_job', 'sidecar_pending_jobs'),
                              ('isp.provisioning_job', 'action_mark_done'),
                              ('isp.subscription', 'sidecar_provisioning_snapshot'),
                              ('isp.device', 'sidecar_report_status'),
                              ('isp.device', 'sidecar_router_policy'),
                              ('isp.captive.session', 'sidecar_sync_sessions')):
            self.assertFalse(hasattr(self.env[model], method), f"{model}.{method}")
        self.assertTrue(callable(self.env['isp.mac.profile'].register_leases))
        self.assertTrue(callable(self.env['isp.device'].get_api_credentials))

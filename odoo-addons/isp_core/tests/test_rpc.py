import json

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import IspCoreCase


@tagged('post_install', '-at_install')
class TestSidecarRpc(HttpCase, IspCoreCase):
    """The services' calls as they travel: XML-RPC (no None allowed) and JSON-2 (named arguments)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rpc_user = new_test_user(cls.env, 'isp_rpc_sidecar', groups='isp_core.group_isp_sidecar',
                                     password='isp_rpc_sidecar-pass')

    def _xmlrpc(self, model, method, *args, **kwargs):
        with mute_logger('odoo.addons.rpc.controllers.xmlrpc'):
            return self.xmlrpc_object.execute_kw(
                self.env.cr.dbname, self.rpc_user.id, 'isp_rpc_sidecar-pass', model, method, list(args), kwargs)

    def test_register_leases_over_xmlrpc(self):
        result = self._xmlrpc('isp.mac.profile', 'register_leases', [
            {'mac': '02:00:00:00:BB:01', 'ip': '10.20.0.15', 'bound': True, 'server': 'dhcp-lan',
             'hostname': 'ONU-1', 'router': 'MikroTik-A'},
            {'mac': 'nope'}])
        self.assertEqual(len(result['profile_ids']), 1)
        self.assertEqual([bool(r['error']) for r in result['results']], [False, True])

    def test_job_state_methods_over_xmlrpc(self):
        job = self._active_subscription().job_ids
        api = 'isp.sidecar.api'
        self.assertIs(self._xmlrpc(api, 'sidecar_mark_running', [job.id]), True)
        self.assertIs(self._xmlrpc(api, 'sidecar_mark_waiting', [job.id], 'router offline'), True)
        self.assertIs(self._xmlrpc(api, 'sidecar_mark_running', job_ids=[job.id]), True)
        self.assertIs(self._xmlrpc(api, 'sidecar_mark_failed', [job.id], 'trap', final=True), True)
        job.invalidate_recordset()
        self.assertEqual((job.state, job.error_message), ('failed', 'trap'))
        pending = self._xmlrpc(api, 'sidecar_pending_jobs', limit=10)
        self.assertIsInstance(pending, list)
        [row] = self._xmlrpc(api, 'sidecar_read_jobs', [job.id])
        self.assertEqual((row['state'], row['subscription_id'][0]), ('failed', job.subscription_id.id))

    def test_audit_and_status_over_xmlrpc(self):
        audit_ids = self._xmlrpc('isp.sidecar.api', 'sidecar_append_audit', [{
            'action': 'router.ensure_lease', 'record_model': 'isp.device', 'record_id': self.device.id,
            'device_id': self.device.id, 'result': 'success', 'after_json': json.dumps({'ok': True})}])
        self.assertEqual(len(audit_ids), 1)
        self.assertIs(self._xmlrpc('isp.sidecar.api', 'sidecar_report_router_status', self.device.id,
                                   {'status': 'online'}), True)
        with self.assertRaisesRegex(Exception, "Only the ISP services user|AccessError|access"):
            self._xmlrpc('isp.audit_log', 'create', {'action': 'direct'})

    def test_json2_named_arguments(self):
        key = self.env['res.users.apikeys'].with_user(self.rpc_user).sudo()._generate(None, 'test-sidecar', None)
        response = self.url_open(
            '/json/2/isp.mac.profile/register_leases',
            data=json.dumps({'leases': [{'mac': '02:00:00:00:BB:02', 'ip': '10.20.0.16', 'bound': True,
                                         'router': 'SER-B'}]}),
            headers={'Authorization': f'Bearer {key}', 'Content-Type': 'application/json',
                     'X-Odoo-Database': self.env.cr.dbname})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(len(response.json()['profile_ids']), 1)
        response = self.url_open(
            '/json/2/isp.sidecar.api/sidecar_mark_failed',
            data=json.dumps({'job_ids': self._active_subscription().job_ids.ids, 'error': 'trap', 'final': True}),
            headers={'Authorization': f'Bearer {key}', 'Content-Type': 'application/json',
                     'X-Odoo-Database': self.env.cr.dbname})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertIs(response.json(), True)

    def test_uniqueness_violations_reach_rpc_callers_with_their_message(self):
        new_test_user(self.env, 'isp_rpc_admin', groups='isp_core.group_isp_admin', password='isp_rpc_admin-pass')
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, 'isp_rpc_admin', 'isp_rpc_admin-pass', {})
        taken = self._subscription()

        def create(model, values):
            with mute_logger('odoo.addons.rpc.controllers.xmlrpc', 'odoo.sql_db', 'odoo.service.model'), \
                    self.assertRaises(Exception) as caught:
                self.xmlrpc_object.execute_kw(
                    self.env.cr.dbname, uid, 'isp_rpc_admin-pass', model, 'create', [values])
            return str(caught.exception)

        self.assertIn("A sector with this code already exists.",
                      create('isp.sector', {'name': "Copy", 'code': self.sector.code}))
        self.assertIn("Another live subscription already uses this MAC address.", create('isp.subscription', {
            'partner_id': self.partner.id, 'plan_id': self.plan.id, 'sector_id': self.sector.id,
            'device_id': self.device.id, 'service_mac': taken.service_mac.lower().replace(':', '-')}))
        self.assertIn("This PPPoE username is already used.", create('isp.subscription', {
            'partner_id': self.partner.id, 'plan_id': self.plan.id, 'sector_id': self.sector.id,
            'device_id': self.device.id, 'auth_method': 'pppoe', 'pppoe_username': self._pppoe_taken()}))

    def _pppoe_taken(self):
        return self._subscription(auth_method='pppoe', pppoe_username='rpc-taken').pppoe_username

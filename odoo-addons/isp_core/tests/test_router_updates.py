import json

from odoo.tests import tagged

from .common import IspCoreCase


def lease(mac, ip, bound=True):
    return {'mac': mac, 'ip': ip, 'bound': bound, 'server': 'dhcp-lan', 'hostname': 'ONU', 'router': 'MikroTik-A'}


@tagged('post_install', '-at_install')
class TestSubscriptionRouterUpdates(IspCoreCase):
    """Every change of what the router holds for a live subscription queues ``update_subscription``."""

    def setUp(self):
        super().setUp()
        self.device_a2 = self.env['isp.device'].create({
            'name': "Router A2", 'sector_id': self.sector.id, 'mgmt_ip': '10.0.0.2', 'identity': 'MikroTik-A2'})

    def _updates(self, sub):
        return sub.job_ids.filtered(lambda j: j.job_type == 'update_subscription')

    def _update_audit(self, sub):
        return self.env['isp.audit_log'].search([
            ('record_model', '=', 'isp.subscription'), ('record_id', '=', sub.id),
            ('action', '=', 'subscription.update')], order='id')

    def test_each_router_field_change_queues_one_update(self):
        changes = [
            lambda n: {'dhcp_mode': 'static', 'service_ip': '10.20.1.%d' % n},
            lambda n: {'service_ip': '10.20.2.%d' % n},
            lambda n: {'service_mac': '02:00:00:01:FF:%02X' % n},
            lambda n: {'auth_method': 'pppoe', 'pppoe_username': 'switch%d' % n},
            lambda n: {'pppoe_username': 'renamed%d' % n},
            lambda n: {'pppoe_password': 'n3w-s3cret'},
        ]
        n = 0
        for state in ('active', 'suspended'):
            for change in changes:
                n += 1
                vals = change(n)
                with self.subTest(state=state, vals=vals):
                    sub = self._active_subscription()
                    if 'service_ip' in vals and 'dhcp_mode' not in vals:
                        sub.write({'dhcp_mode': 'static', 'service_ip': '10.20.3.%d' % n})
                    if 'pppoe_username' in vals and 'auth_method' not in vals or 'pppoe_password' in vals:
                        sub.write({'auth_method': 'pppoe', 'pppoe_username': 'user%d' % n})
                    if state == 'suspended':
                        sub.action_suspend()
                    done = self._updates(sub)
                    sub.write(vals)
                    job = self._updates(sub) - done
                    self.assertEqual(len(job), 1)
                    self.assertEqual((job.device_id, job.state), (self.device, 'queued'))
                    payload = json.loads(job.payload_json)
                    self.assertEqual((payload['job_type'], payload['desired']['state']),
                                     ('update_subscription', state))

    def test_write_with_several_subscriptions_queues_one_job_each(self):
        subs = self._active_subscription() | self._active_subscription()
        subs.write({'dhcp_mode': 'static'})
        self.assertEqual(len(self._updates(subs)), 2)
        self.assertEqual(self._updates(subs).subscription_id, subs)

    def test_draft_terminated_and_unchanged_queue_nothing(self):
        draft = self._subscription()
        draft.write({'service_mac': '02:00:00:00:FF:02', 'dhcp_mode': 'static', 'device_id': self.device_a2.id})
        self.assertFalse(draft.job_ids)
        terminated = self._active_subscription()
        terminated.action_terminate()
        terminated.write({'service_mac': '02:00:00:00:FF:03', 'device_id': self.device_a2.id})
        self.assertFalse(self._updates(terminated))
        active = self._active_subscription()
        active.write({'service_mac': active.service_mac.lower(), 'device_id': self.device.id,
                      'dhcp_mode': 'dynamic', 'service_ip': '', 'gps_lat': 18.5})
        self.assertFalse(self._updates(active))
        self.assertFalse(self._update_audit(active))

    def test_move_queues_one_job_per_router(self):
        sub = self._active_subscription()
        sub.write({'device_id': self.device_a2.id})
        jobs = self._updates(sub)
        self.assertEqual(len(jobs), 2)
        self.assertEqual(sorted(jobs.mapped('device_id.name')), ["Router A", "Router A2"])
        for job in jobs:
            self.assertEqual(json.loads(job.payload_json)['desired']['device_id'], self.device_a2.id,
                             "both jobs carry the new router: the old one sees it owns nothing there")
        audit = self._update_audit(sub)
        self.assertEqual(len(audit), 1)
        self.assertEqual((json.loads(audit.before_json), json.loads(audit.after_json)),
                         ({'device_id': "Router A"}, {'device_id': "Router A2"}))
        self.assertEqual(audit.job_id.device_id, self.device_a2)

    def test_move_to_another_sector(self):
        sub = self._active_subscription()
        sub.write({'sector_id': self.sector_b.id, 'device_id': self.device_b.id})
        self.assertEqual(self._updates(sub).device_id, self.device | self.device_b)

    def test_plan_change_with_other_fields_keeps_one_change_plan_job(self):
        sub = self._active_subscription()
        sub.write({'plan_id': self.plan_fast.id, 'dhcp_mode': 'static', 'service_ip': '10.20.0.70'})
        change_plan = sub.job_ids.filtered(lambda j: j.job_type == 'change_plan')
        self.assertEqual(len(change_plan), 1)
        self.assertFalse(self._updates(sub))
        self.assertEqual(self._update_audit(sub).job_id, change_plan)
        # With a move, the old router still gets its removal job.
        sub.write({'plan_id': self.plan.id, 'device_id': self.device_a2.id})
        self.assertEqual(self._updates(sub).device_id, self.device)
        self.assertEqual(len(sub.job_ids.filtered(lambda j: j.job_type == 'change_plan')), 2)

    def test_audit_lists_changes_but_never_the_password(self):
        sub = self._active_subscription(auth_method='pppoe', pppoe_username='ana', pppoe_password='old-s3cret')
        sub.write({'pppoe_password': 'n3w-s3cret', 'pppoe_username': 'ana2'})
        audit = self._update_audit(sub)
        self.assertEqual(len(audit), 1)
        self.assertEqual(audit.job_id, self._updates(sub))
        self.assertEqual(json.loads(audit.before_json), {'pppoe_password': '********', 'pppoe_username': 'ana'})
        self.assertEqual(json.loads(audit.after_json), {'pppoe_password': '********', 'pppoe_username': 'ana2'})
        everything = ' '.join(filter(None, audit.mapped('before_json') + audit.mapped('after_json')
                                     + self._updates(sub).mapped('payload_json')))
        self.assertNotIn('s3cret', everything)

    def test_switch_to_pppoe_queues_one_job(self):
        sub = self._active_subscription()
        sub.write({'auth_method': 'pppoe', 'pppoe_username': 'ana'})
        self.assertTrue(sub.sudo().pppoe_password, "a password is generated")
        self.assertEqual(len(self._updates(sub)), 1, "the generated password does not queue a second job")

    def test_staff_user_edit_queues_update(self):
        sub = self._active_subscription()
        sub.with_user(self.admin_user).write({'service_mac': '02:00:00:00:FF:09'})
        self.assertEqual(len(self._updates(sub)), 1)


@tagged('post_install', '-at_install')
class TestLeaseAddressUpdates(IspCoreCase):
    """A dynamic-DHCP customer whose lease moves to another address gets its router objects updated."""

    def setUp(self):
        super().setUp()
        self.profiles = self.env['isp.mac.profile'].with_user(self.sidecar_user)
        self.sub = self._active_subscription()

    def _updates(self, sub=None):
        return (sub or self.sub).job_ids.filtered(lambda j: j.job_type == 'update_subscription')

    def test_new_address_queues_one_update_same_address_none(self):
        mac = self.sub.service_mac
        self.profiles.register_leases([lease(mac, ip='10.20.0.15')])
        self.assertEqual(len(self._updates()), 1, "first lease of the MAC (new profile)")
        self.profiles.register_leases([lease(mac, ip='10.20.0.15')])
        self.assertEqual(len(self._updates()), 1, "same address again: nothing to do")
        self.profiles.register_leases([lease(mac, ip='10.20.0.16')])
        jobs = self._updates().sorted('id')
        self.assertEqual(len(jobs), 2)
        self.assertEqual(jobs.device_id, self.device)
        audit = self.env['isp.audit_log'].search([
            ('record_id', '=', self.sub.id), ('action', '=', 'subscription.update')], order='id desc', limit=1)
        self.assertEqual((json.loads(audit.before_json), json.loads(audit.after_json), audit.job_id),
                         ({'client_address': '10.20.0.15'}, {'client_address': '10.20.0.16'}, jobs[-1]))

    def test_rebound_after_release_queues_update(self):
        mac = self.sub.service_mac
        self.profiles.register_leases([lease(mac, ip='10.20.0.15')])
        self.profiles.register_leases([lease(mac, ip='', bound=False)])
        self.assertEqual(len(self._updates()), 1, "a release queues nothing")
        self.profiles.register_leases([lease(mac, ip='10.20.0.15')])
        self.assertEqual(len(self._updates()), 2, "bound again after a release")

    def test_batch_queues_once_per_mac(self):
        other = self._active_subscription()
        self.profiles.register_leases([
            lease(self.sub.service_mac, ip='10.20.0.21'),
            lease(other.service_mac, ip='10.20.0.22'),
            lease(self.sub.service_mac, ip='10.20.0.23'),
        ])
        jobs = self._updates() | self._updates(other)
        self.assertEqual(len(jobs), 2)
        self.assertEqual(json.loads(self._updates().payload_json)['subscription'], self.sub.name)
        self.assertEqual(self.env['isp.mac.profile'].search(
            [('mac_address', '=', self.sub.service_mac)]).ip_address, '10.20.0.23')

    def test_static_pppoe_draft_and_unknown_macs_queue_nothing(self):
        static = self._active_subscription(dhcp_mode='static', service_ip='10.20.0.40')
        pppoe = self._active_subscription(auth_method='pppoe', pppoe_username='lease-pppoe')
        draft = self._subscription()
        before = self.env['isp.provisioning_job'].search_count([('job_type', '=', 'update_subscription')])
        self.profiles.register_leases([
            lease(static.service_mac, ip='10.20.0.41'),
            lease(pppoe.service_mac, ip='10.20.0.42'),
            lease(draft.service_mac, ip='10.20.0.43'),
            lease('02:00:00:00:EE:01', ip='10.20.0.44'),
        ])
        self.assertEqual(
            self.env['isp.provisioning_job'].search_count([('job_type', '=', 'update_subscription')]), before)

    def test_one_queue_call_per_batch(self):
        subs = [self._active_subscription() for _i in range(3)]
        calls = []
        job_model = type(self.env['isp.provisioning_job'])
        original = job_model._queue

        def counting_queue(model, specs):
            calls.append(len(specs))
            return original(model, specs)

        self.patch(job_model, '_queue', counting_queue)
        self.profiles.register_leases([lease(sub.service_mac, ip='10.20.1.%d' % i) for i, sub in enumerate(subs)])
        self.assertEqual(calls, [3])

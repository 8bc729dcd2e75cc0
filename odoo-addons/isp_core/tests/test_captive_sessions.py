from datetime import datetime, timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import IspCoreCase

NOW = datetime(2026, 5, 4, 10, 0, 0)


def entry(index, login=None, **values):
    session = {
        'router_id': '*8%07X' % index, 'user': login or 'guest-%d' % index,
        'ip_address': '10.5.%d.%d' % divmod(index, 250), 'mac_address': '02:00:00:05:%02X:%02X' % divmod(index, 256),
        'uptime_seconds': 60, 'bytes_in': 1000, 'bytes_out': 2000,
    }
    session.update(values)
    return session


@tagged('post_install', '-at_install')
class TestCaptiveSessions(IspCoreCase):
    """isp.sidecar.api.sidecar_sync_sessions mirrors a router's /ip/hotspot/active."""

    def setUp(self):
        super().setUp()
        self.Session = self.api
        Captive = self.env['isp.captive.user']
        self.guest1 = Captive.create({'name': 'guest-1', 'device_id': self.device.id})
        self.guest1_b = Captive.create({'name': 'guest-1', 'device_id': self.device_b.id})
        self.roaming = Captive.create({'name': 'guest-2'})

    def _open(self, device=None):
        return self.env['isp.captive.session'].search(
            [('device_id', '=', (device or self.device).id), ('ended_at', '=', False)])

    def test_sessions_open_update_close(self):
        with freeze_time(NOW):
            result = self.Session.sidecar_sync_sessions(self.device.id, [
                entry(1, uptime_seconds=600), entry(2), entry(3, login='walk-in')])
        self.assertEqual(result, {'opened': 3, 'updated': 0, 'closed': 0})
        sessions = self._open()
        by_login = {s.login: s for s in sessions}
        self.assertEqual(by_login['guest-1'].user_id, self.guest1, "the user of that login on this router")
        self.assertEqual(by_login['guest-2'].user_id, self.roaming, "else the one of that login on no router")
        self.assertFalse(by_login['walk-in'].user_id)
        self.assertEqual(by_login['guest-1'].started_at, NOW - timedelta(minutes=10))
        self.assertEqual((by_login['guest-1'].router_id, by_login['guest-1'].mac_address),
                         ('*80000001', '02:00:00:05:00:01'))

        with freeze_time(NOW + timedelta(minutes=5)):
            result = self.Session.sidecar_sync_sessions(self.device.id, [
                entry(1, uptime_seconds=900, bytes_in=5000, bytes_out=7000),
                entry(3, login='walk-in'),
                entry(2, login='guest-1'),  # same router id, another user: another session
            ])
        self.assertEqual(result, {'opened': 1, 'updated': 2, 'closed': 1})
        self.env.invalidate_all()
        self.assertEqual(by_login['guest-1'].bytes_in, 5000)
        self.assertEqual(by_login['guest-1'].started_at, NOW - timedelta(minutes=10), "start never moves")
        self.assertEqual(by_login['guest-2'].ended_at, NOW + timedelta(minutes=5))
        self.assertEqual(self._open().filtered(lambda s: s.router_id == '*80000002').login, 'guest-1')
        self.assertEqual(self.guest1.bytes_used, 5000 + 7000 + 3000)
        self.assertAlmostEqual(self.guest1.uptime_used, (900 + 60) / 3600)
        self.assertEqual(self.guest1.first_login_at, NOW - timedelta(minutes=10))

        result = self.Session.sidecar_sync_sessions(self.device.id, [])
        self.assertEqual(result, {'opened': 0, 'updated': 0, 'closed': 3})
        self.assertFalse(self._open())

    def test_sessions_of_other_routers_untouched(self):
        self.Session.sidecar_sync_sessions(self.device_b.id, [entry(1)])
        self.Session.sidecar_sync_sessions(self.device.id, [])
        self.assertEqual(len(self._open(self.device_b)), 1)
        self.assertEqual(self._open(self.device_b).user_id, self.guest1_b)

    def test_bad_input_refused_and_nothing_written(self):
        self.Session.sidecar_sync_sessions(self.device.id, [entry(1)])
        good = [entry(2), entry(3)]
        cases = [
            ([entry(4, bytes_in=-1)], r"sessions\[2\]: bytes_in must be a non-negative integer"),
            ([entry(4, uptime_seconds='60')], "uptime_seconds must be a non-negative integer"),
            ([entry(4, bytes_out=True)], "bytes_out must be a non-negative integer"),
            ([entry(4, router_id='')], "router_id must be a non-empty text"),
            ([{k: v for k, v in entry(4).items() if k != 'user'}], "user must be a non-empty text"),
            ([entry(4, ip_address='10.0.0.300')], "10.0.0.300 is not a valid IPv4 address"),
            ([entry(4, mac_address='zz')], "zz is not a valid MAC address"),
            (['*80000004'], r"sessions\[2\]: must be an object"),
            ([entry(2)], "is listed twice"),
        ]
        for bad, message in cases:
            with self.subTest(message=message), self.assertRaisesRegex(ValidationError, message):
                self.Session.sidecar_sync_sessions(self.device.id, good + bad)
        with self.assertRaisesRegex(ValidationError, "must be a list"):
            self.Session.sidecar_sync_sessions(self.device.id, {'router_id': '*1'})
        with self.assertRaisesRegex(ValidationError, "Router 999999 does not exist"):
            self.Session.sidecar_sync_sessions(999999, good)
        with self.assertRaisesRegex(ValidationError, "device_id must be a router id"):
            self.Session.sidecar_sync_sessions('1', good)
        sessions = self.env['isp.captive.session'].search([('device_id', '=', self.device.id)])
        self.assertEqual(sessions.mapped('router_id'), ['*80000001'], "nothing opened")
        self.assertFalse(sessions.ended_at, "nothing closed")

    def test_many_errors_listed_briefly(self):
        with self.assertRaisesRegex(ValidationError, "and 5 more errors"):
            self.Session.sidecar_sync_sessions(self.device.id, [entry(i, bytes_in=-1) for i in range(15)])

    def test_access_guard(self):
        for user in (self.admin_user, self.noc_user, self.plain_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env['isp.sidecar.api'].with_user(user).sidecar_sync_sessions(self.device.id, [entry(1)])

    def _queries_of_second_sync(self, device, size):
        """Queries of a sync (flush included) that updates half the router's sessions, closes the other
        half and opens ``size`` new ones, all of known captive users."""
        logins = ['q%d-%d' % (device.id, i) for i in range(2 * size)]
        self.env['isp.captive.user'].create([{'name': login, 'device_id': device.id} for login in logins])
        first = [entry(i, login=logins[i]) for i in range(size)]
        self.Session.sidecar_sync_sessions(device.id, first)
        second = [dict(e, bytes_in=e['bytes_in'] * 3, uptime_seconds=120) for e in first[:size // 2]]
        second += [entry(i, login=logins[i]) for i in range(size, 2 * size)]
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        result = self.Session.sidecar_sync_sessions(device.id, second)
        self.env.flush_all()
        queries = self.cr.sql_log_count - before
        self.assertEqual(result, {'opened': size, 'updated': size // 2, 'closed': size - size // 2})
        return queries

    def test_sync_query_count_does_not_grow_with_sessions(self):
        small = self._queries_of_second_sync(self.device, 10)
        large = self._queries_of_second_sync(self.device_b, 200)
        # Odoo writes 100 rows per INSERT/UPDATE: the session rows and the recomputed usage of their
        # captive users add one statement per 100 rows (10 → 13 queries here), nothing per session.
        self.assertLessEqual(large, small + 5, (small, large))

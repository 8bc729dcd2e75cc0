import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.isp_core.models.isp_provisioning_job import NOTIFY_DATA_KEY
from odoo.addons.isp_core.tools.sidecar_notify import notify_jobs

from .common import IspCoreCase


class _Listener:
    """A local gateway stand-in answering ``status`` and recording what it received."""

    def __init__(self, status=202, delay=0.0):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers['Content-Length'])
                received.append({'path': self.path, 'auth': self.headers['Authorization'],
                                 'body': json.loads(self.rfile.read(length))})
                if delay:
                    threading.Event().wait(delay)
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(('127.0.0.1', 0), Handler)
        self.url = 'http://127.0.0.1:%s' % self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@tagged('post_install', '-at_install')
class TestNotifyFunction(TransactionCase):

    def test_posts_job_ids_with_bearer_token(self):
        with _Listener() as gateway:
            self.assertTrue(notify_jobs(gateway.url + '/', 'tok-123', [7, 3]))
        self.assertEqual(gateway.received, [
            {'path': '/v1/jobs/notify', 'auth': 'Bearer tok-123', 'body': {'job_ids': [3, 7]}}])

    def test_refused_connection_is_logged_not_raised(self):
        url = 'http://127.0.0.1:%s' % _free_port()
        with self.assertLogs('odoo.addons.isp_core.tools.sidecar_notify', 'WARNING') as logs:
            self.assertFalse(notify_jobs(url, 'tok', [1]))
        self.assertIn("Could not notify the gateway", logs.output[0])

    def test_http_error_is_logged_not_raised(self):
        with _Listener(status=500) as gateway, \
                self.assertLogs('odoo.addons.isp_core.tools.sidecar_notify', 'WARNING') as logs:
            self.assertFalse(notify_jobs(gateway.url, 'tok', [1]))
        self.assertIn("HTTP 500", logs.output[0])

    @mute_logger('odoo.addons.isp_core.tools.sidecar_notify')
    def test_slow_gateway_is_cut_by_timeout(self):
        with _Listener(delay=2.0) as gateway:
            self.assertFalse(notify_jobs(gateway.url, 'tok', [1], timeout=0.2))


@tagged('post_install', '-at_install')
class TestNotifyHook(IspCoreCase):

    def test_queueing_registers_one_post_commit_hook_per_transaction(self):
        params = self.env['ir.config_parameter'].sudo()
        params.set_param('isp_core.sidecar_url', 'http://127.0.0.1:9')
        postcommit = self.env.cr.postcommit
        postcommit.data.pop(NOTIFY_DATA_KEY, None)
        before = len(postcommit._funcs)
        first = self._active_subscription()
        second = self._active_subscription()
        self.assertEqual(len(postcommit._funcs), before + 1)
        self.assertEqual(postcommit.data[NOTIFY_DATA_KEY], set((first.job_ids | second.job_ids).ids))
        postcommit.data.pop(NOTIFY_DATA_KEY)
        postcommit._funcs.pop()

    def test_hook_sends_to_gateway_in_background(self):
        with _Listener() as gateway:
            params = self.env['ir.config_parameter'].sudo()
            params.set_param('isp_core.sidecar_url', gateway.url)
            params.set_param('isp_core.sidecar_token', 'sidecar-secret')
            postcommit = self.env.cr.postcommit
            postcommit.data.pop(NOTIFY_DATA_KEY, None)
            sub = self._active_subscription()
            hook = postcommit._funcs.pop()
            postcommit.data.pop(NOTIFY_DATA_KEY)
            hook().join(5)
        self.assertEqual(gateway.received[0]['body'], {'job_ids': sub.job_ids.ids})
        self.assertEqual(gateway.received[0]['auth'], 'Bearer sidecar-secret')

    def test_no_gateway_configured_means_no_hook(self):
        postcommit = self.env.cr.postcommit
        postcommit.data.pop(NOTIFY_DATA_KEY, None)
        before = len(postcommit._funcs)
        self._active_subscription()
        self.assertEqual(len(postcommit._funcs), before)
        postcommit.data.pop(NOTIFY_DATA_KEY, None)

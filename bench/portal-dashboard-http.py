"""The HTTP half of the customer portal benchmark (see portal-dashboard.sh).

Logs in as the bench customer, then alternates GET /my and GET /my/isp BENCH_REQUESTS times each
after a warm-up, and prints the median time of each and their ratio. Both pages are measured
the same way in the same run, so the ratio holds whatever the machine; not a test.
"""
import json
import os
import statistics
import sys
import time

import requests

URL = os.environ['BENCH_URL']
DB = os.environ['BENCH_DB_NAME']
REQUESTS = int(os.environ.get('BENCH_REQUESTS', '30'))
TARGET = 2.0


def log(message):
    print(message, file=sys.stderr, flush=True)


def wait_healthy(session):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if session.get(f'{URL}/web/health', timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit("Odoo did not start")


def login(session):
    reply = session.post(f'{URL}/web/session/authenticate', json={
        'jsonrpc': '2.0', 'method': 'call',
        'params': {'db': DB, 'login': 'bench_portal', 'password': 'bench_portal'}}, timeout=30).json()
    if reply.get('error'):
        raise SystemExit(f"login failed: {reply['error']}")


def timed_get(session, path, expect):
    started = time.perf_counter()
    response = session.get(f'{URL}{path}', timeout=60, allow_redirects=False)
    elapsed = time.perf_counter() - started
    if response.status_code != 200 or expect not in response.text:
        raise SystemExit(f"GET {path}: {response.status_code}, {expect!r} not in the page")
    return elapsed


def main():
    session = requests.Session()
    wait_healthy(session)
    login(session)
    pages = {'/my': 'o_portal_my_home', '/my/isp': 'Bench plan'}
    for _ in range(3):
        for path, expect in pages.items():
            timed_get(session, path, expect)
    times = {path: [] for path in pages}
    for _ in range(REQUESTS):
        for path, expect in pages.items():
            times[path].append(timed_get(session, path, expect))
    my_ms = statistics.median(times['/my']) * 1000
    isp_ms = statistics.median(times['/my/isp']) * 1000
    ratio = isp_ms / my_ms
    result = {
        'subscriptions': int(os.environ.get('BENCH_SUBSCRIPTIONS', '100000')),
        'requests': REQUESTS, 'my_ms': round(my_ms, 1), 'my_isp_ms': round(isp_ms, 1),
        'ratio': round(ratio, 2), 'target': TARGET, 'within_target': ratio <= TARGET,
    }
    log(f"/my {result['my_ms']} ms, /my/isp {result['my_isp_ms']} ms (median of {REQUESTS}): "
        f"x{result['ratio']} (target <= x{TARGET})")
    print(json.dumps(result))


main()

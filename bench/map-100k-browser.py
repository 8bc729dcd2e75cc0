"""The browser half of the map benchmark (see map-100k.sh).

Headless Chromium, driven over the DevTools protocol, opens the subscriptions action as the admin,
its map and its list alternately, BENCH_RUNS times each after a warm-up, two ways:
- "in the app": the web client is loaded and the action is opened from it (the action service's
  doAction, as a menu does);
- "page load": the URL is opened in the browser (the web client boots first).
A script injected in every page notes when the first cluster marker (map) or list row (list)
reaches the page and when the frame after it is painted. Prints the medians, the map's loader call
(server time, bytes) and the ratios map/list; not a test.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import requests
import websocket

URL = os.environ['BENCH_URL']
DB = os.environ['BENCH_DB_NAME']
RUNS = int(os.environ.get('BENCH_RUNS', '5'))
DEBUG_PORT = int(os.environ.get('BENCH_DEBUG_PORT', '18296'))
TARGET_S = 2.0
PAGES = {
    'map': ('/odoo/isp-subscriptions?view_type=isp_map', '.o_isp_map_cluster'),
    'list': ('/odoo/isp-subscriptions', '.o_list_view .o_data_row'),
}
PROBE = """
(() => {
    const selectors = %s;
    window.__benchArm = (page) => {
        window.__benchDrawn = null;
        const observer = new MutationObserver(() => {
            if (!window.__benchDrawn && document.querySelector(selectors[page])) {
                window.__benchDrawn = { page, found: performance.now() };
                requestAnimationFrame(() => requestAnimationFrame(() => {
                    window.__benchDrawn.painted = performance.now();
                }));
                observer.disconnect();
            }
        });
        observer.observe(document, { childList: true, subtree: true });
    };
    window.__benchArm(location.search.includes('view_type=isp_map') ? 'map' : 'list');
})();
""" % json.dumps({page: selector for page, (_path, selector) in PAGES.items()})


def log(message):
    print(message, file=sys.stderr, flush=True)


class DevTools:
    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=120, suppress_origin=True)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({'id': self.next_id, 'method': method, 'params': params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get('id') == self.next_id:
                if 'error' in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get('result', {})

    def evaluate(self, expression):
        result = self.call('Runtime.evaluate', expression=expression, returnByValue=True)
        return result.get('result', {}).get('value')


def wait_healthy():
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f'{URL}/web/health', timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit("Odoo did not start")


def session_cookie():
    session = requests.Session()
    reply = session.post(f'{URL}/web/session/authenticate', json={
        'jsonrpc': '2.0', 'method': 'call',
        'params': {'db': DB, 'login': 'admin', 'password': 'admin'}}, timeout=60).json()
    if reply.get('error'):
        raise SystemExit(f"login failed: {reply['error']}")
    return session.cookies['session_id']


def start_chromium(profile):
    binary = shutil.which(os.environ.get('CHROMIUM', 'chromium'))
    if not binary:
        raise SystemExit("chromium not found")
    process = subprocess.Popen(
        [binary, '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--window-size=1366,900',
         f'--remote-debugging-port={DEBUG_PORT}', f'--user-data-dir={profile}', 'about:blank'],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            targets = requests.get(f'http://127.0.0.1:{DEBUG_PORT}/json/list', timeout=2).json()
            page = next(t for t in targets if t['type'] == 'page')
            return process, page['webSocketDebuggerUrl']
        except (requests.RequestException, StopIteration):
            time.sleep(0.2)
    process.kill()
    raise SystemExit("chromium did not start")


def wait_drawn(tools, page, since_ms=0.0):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        drawn = tools.evaluate('window.__benchDrawn && window.__benchDrawn.painted && window.__benchDrawn')
        if drawn:
            if drawn['page'] != page:
                raise SystemExit(f"expected the {page} view, the {drawn['page']} view was drawn")
            return (drawn['painted'] - since_ms) / 1000
        time.sleep(0.02)
    raise SystemExit(f"{page}: nothing drawn within 120 s")


def load_page(tools, page):
    """The URL opened in the browser: seconds from navigation start to the first drawn frame."""
    path, _selector = PAGES[page]
    tools.call('Page.navigate', url='about:blank')
    tools.call('Page.navigate', url=f'{URL}{path}')
    return wait_drawn(tools, page)


def open_in_app(tools, page):
    """The action opened from the loaded web client: seconds from doAction to the first drawn frame."""
    view = 'isp_map' if page == 'map' else 'list'
    started = tools.evaluate(f"""(() => {{
        window.__benchArm({json.dumps(page)});
        const started = performance.now();
        odoo.__WOWL_DEBUG__.root.env.services.action.doAction(
            'isp_core.isp_subscription_action', {{ viewType: {json.dumps(view)}, clearBreadcrumbs: true }});
        return started;
    }})()""")
    return wait_drawn(tools, page, started)


def map_details(tools):
    return tools.evaluate("""(() => {
        const call = performance.getEntriesByType('resource').filter((e) => e.name.includes('isp_map_read')).pop();
        const counts = [...document.querySelectorAll('.o_isp_map_legend .text-muted')]
            .reduce((sum, el) => sum + Number(el.textContent), 0);
        return {
            loader_ms: call && Math.round(call.duration),
            loader_wait_ms: call && Math.round(call.responseStart - call.requestStart),
            loader_bytes: call && call.encodedBodySize,
            markers: document.querySelectorAll('.o_isp_map_cluster, .o_isp_map_marker').length,
            legend_total: counts,
        };
    })()""")


def main():
    wait_healthy()
    cookie = session_cookie()
    profile = tempfile.mkdtemp(prefix='isp-map-bench-')
    process, ws_url = start_chromium(profile)
    try:
        tools = DevTools(ws_url)
        tools.call('Page.enable')
        tools.call('Network.enable')
        tools.call('Network.setCookie', name='session_id', value=cookie, url=URL)
        tools.call('Page.addScriptToEvaluateOnNewDocument', source=PROBE)
        log("warm-up (asset bundles, caches)")
        for _ in range(2):
            for page in PAGES:
                load_page(tools, page)
        times = {f'{way}_{page}': [] for way in ('app', 'load') for page in PAGES}
        details = None
        for run in range(RUNS):
            for page in PAGES:
                times[f'load_{page}'].append(load_page(tools, page))
                if page == 'map':
                    details = map_details(tools)
            for page in PAGES:
                times[f'app_{page}'].append(open_in_app(tools, page))
            log(f"run {run + 1}: " + ", ".join(f"{key} {values[-1]:.2f} s" for key, values in times.items()))
    finally:
        process.kill()
        shutil.rmtree(profile, ignore_errors=True)
    medians = {key: round(statistics.median(values), 3) for key, values in times.items()}
    result = {
        'subscriptions': int(os.environ.get('BENCH_SUBSCRIPTIONS', '100000')), 'runs': RUNS,
        **{f'{key}_s': value for key, value in medians.items()},
        'app_ratio': round(medians['app_map'] / medians['app_list'], 2),
        'load_ratio': round(medians['load_map'] / medians['load_list'], 2),
        'target_s': TARGET_S, 'within_target': medians['app_map'] < TARGET_S, **(details or {}),
    }
    log(f"opened in the app: map {result['app_map_s']} s, list {result['app_list_s']} s: x{result['app_ratio']} "
        f"(target: map < {TARGET_S} s); as a page load: map {result['load_map_s']} s, list "
        f"{result['load_list_s']} s: x{result['load_ratio']} (medians of {RUNS}); the map's loader call "
        f"{result.get('loader_ms')} ms, {result.get('loader_bytes')} bytes, {result.get('legend_total')} subscriptions")
    print(json.dumps(result))


main()

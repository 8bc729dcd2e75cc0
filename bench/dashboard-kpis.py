"""KPI dashboard benchmark, run inside ``odoo shell`` (see dashboard-kpis.sh).

Loads the dashboard (``isp.dashboard.get_dashboard_data``, what the client action calls) with
BENCH_SMALL and then BENCH_SUBSCRIPTIONS subscriptions spread over sectors, plans and states,
with tickets and provisioning jobs, and prints its time and SQL query count at both sizes, and
against a naive loop that computes the same subscription figures record by record through the
ORM at the large size, measured in the same run. Not a test: it asserts nothing about time.
"""
import json
import os
import statistics
import sys
import time

TOTAL = int(os.environ.get('BENCH_SUBSCRIPTIONS', '100000'))
SMALL = int(os.environ.get('BENCH_SMALL', '1000'))
SECTORS = 40
PLANS = 6
BATCH = 2000
STATES = ['active'] * 80 + ['suspended'] * 10 + ['draft'] * 5 + ['terminated'] * 5
REPEATS = 5


def log(message):
    print(message, file=sys.stderr, flush=True)


def setup(env):
    sectors = env['isp.sector'].create([
        {'name': f"Bench sector {i}", 'code': f'SEC-{900 + i}-bench'} for i in range(SECTORS)])
    devices = env['isp.device'].create([
        {'name': f"Bench router {i}", 'sector_id': sector.id, 'mgmt_ip': f'10.250.{i}.1', 'serial': f'BENCH-{i}'}
        for i, sector in enumerate(sectors)])
    plans = env['isp.service_plan'].create([
        {'name': f"Bench plan {i}", 'down_mbps': 10 * (i + 1), 'up_mbps': 2 * (i + 1), 'price': 15.0 + 10 * i}
        for i in range(PLANS)])
    partners = env['res.partner'].create([{'name': f"Bench customer {i}"} for i in range(1000)])
    env.cr.commit()
    return sectors, devices, plans, partners


def grow(env, fixtures, start, stop):
    """Subscriptions ``start``..``stop`` (ORM create, states set directly), a ticket per 50."""
    sectors, devices, plans, partners = fixtures
    for offset in range(start, stop, BATCH):
        indexes = range(offset, min(stop, offset + BATCH))
        env['isp.subscription'].create([{
            'partner_id': partners[i % len(partners)].id,
            'plan_id': plans[i % PLANS].id,
            'sector_id': sectors[i % SECTORS].id,
            'device_id': devices[i % SECTORS].id,
            'service_mac': '02:%02X:%02X:%02X:00:02' % ((i >> 16) & 255, (i >> 8) & 255, i & 255),
            'gps_lat': 18.4861,
            'gps_lng': -69.9312,
            'state': STATES[i % len(STATES)],
        } for i in indexes])
        env['isp.fault.ticket'].create([
            {'partner_id': partners[i % len(partners)].id, 'priority': ('urgent', 'high', 'normal', 'low')[i % 4]}
            for i in indexes if i % 50 == 0])
        env.cr.commit()
    log(f"{stop} subscriptions")


def measure(env, func):
    """Median seconds and queries of ``func`` over REPEATS cold-cache runs."""
    seconds, queries = [], []
    for _ in range(REPEATS):
        env.invalidate_all()
        before = env.cr.sql_log_count
        started = time.perf_counter()
        func()
        seconds.append(time.perf_counter() - started)
        queries.append(env.cr.sql_log_count - before)
    return statistics.median(seconds), int(statistics.median(queries))


def naive_figures(env):
    """The subscription tiles and breakdowns the slow way: every record read and counted in Python."""
    counts, by_sector, by_plan, mrr = {}, {}, {}, 0.0
    for sub in env['isp.subscription'].search([]):
        counts[sub.state] = counts.get(sub.state, 0) + 1
        if sub.state != 'terminated':
            by_sector[sub.sector_id.display_name] = by_sector.get(sub.sector_id.display_name, 0) + 1
            by_plan[sub.plan_id.display_name] = by_plan.get(sub.plan_id.display_name, 0) + 1
        if sub.state == 'active':
            mrr += sub.price
    return counts, by_sector, by_plan, mrr


def main(env):
    env = env(context={'tracking_disable': True, 'mail_create_nolog': True})
    env['ir.config_parameter'].sudo().set_param('isp_core.sidecar_url', '')
    dashboard = env['isp.dashboard']
    fixtures = setup(env)
    grow(env, fixtures, 0, SMALL)
    small_s, small_q = measure(env, dashboard.get_dashboard_data)
    grow(env, fixtures, SMALL, TOTAL)
    large_s, large_q = measure(env, dashboard.get_dashboard_data)
    naive_s, naive_q = measure(env, lambda: naive_figures(env))
    tiles = {tile['key']: tile['value'] for tile in dashboard.get_dashboard_data()['tiles']}
    assert tiles['active'] == naive_figures(env)[0]['active'], "the dashboard and the naive loop disagree"
    result = {
        'subscriptions': TOTAL,
        'dashboard_small_ms': round(small_s * 1000, 1), 'queries_small': small_q, 'small': SMALL,
        'dashboard_large_ms': round(large_s * 1000, 1), 'queries_large': large_q,
        'naive_loop_large_ms': round(naive_s * 1000, 1), 'queries_naive': naive_q,
        'growth_ratio': round(large_s / small_s, 2),
        'speedup_vs_naive': round(naive_s / large_s, 1),
    }
    log(f"dashboard: {SMALL} subscriptions {result['dashboard_small_ms']} ms / {small_q} queries; "
        f"{TOTAL} subscriptions {result['dashboard_large_ms']} ms / {large_q} queries "
        f"(x{result['growth_ratio']} for x{TOTAL // SMALL} data)")
    log(f"naive per-record loop at {TOTAL}: {result['naive_loop_large_ms']} ms / {naive_q} queries "
        f"-> dashboard is {result['speedup_vs_naive']}x faster")
    print(json.dumps(result))


main(env)  # noqa: F821 - ``env`` is provided by odoo shell

"""Recurring-invoicing benchmark, run inside ``odoo shell`` (see billing-invoicing.sh).

Creates BENCH_SUBSCRIPTIONS active subscriptions and invoices them in BENCH_CHUNKS rounds. Each
round makes one slice due: a few subscriptions are invoiced by a naive loop (one subscription
at a time through create / action_post / write), the rest by the isp_billing cron through
Odoo's cron runner. Interleaving matters: Odoo's invoice numbering looks up the journal's last
number for every invoice, a cost that grows with the journal, so both are measured on the same
journal sizes. Prints invoices per second of both and their ratio; a final cron run must create
nothing. Not a test: it asserts nothing about time.
"""
import json
import os
import sys
import time
from datetime import date, timedelta

from odoo.addons.isp_billing.tools.billing_period import period_for

TOTAL = int(os.environ.get('BENCH_SUBSCRIPTIONS', '10000'))
NAIVE = int(os.environ.get('BENCH_NAIVE', '300'))
CHUNKS = int(os.environ.get('BENCH_CHUNKS', '10'))
BATCH_SIZE = os.environ.get('BENCH_BATCH_SIZE', '500')
TODAY = date.today()
NOT_DUE = TODAY + timedelta(days=3650)
MAX_CRON_RUNS = 1000


def log(message):
    print(message, file=sys.stderr, flush=True)


def setup(env):
    env = env(context={'tracking_disable': True, 'mail_create_nolog': True})
    env['ir.config_parameter'].sudo().set_param('isp_core.sidecar_url', '')
    env['ir.config_parameter'].sudo().set_param('isp_billing.invoice_batch_size', BATCH_SIZE)
    sector = env['isp.sector'].create({'name': "Bench", 'code': 'SEC-900-bench'})
    device = env['isp.device'].create({
        'name': "Bench router", 'sector_id': sector.id, 'mgmt_ip': '10.255.0.1', 'identity': 'bench',
        'serial': 'BENCH-1'})
    plan = env['isp.service_plan'].create({'name': "Bench 50/10", 'down_mbps': 50, 'up_mbps': 10, 'price': 29.9})
    partners = env['res.partner'].create([
        {'name': f"Bench customer {i}", 'email': f'bench{i}@example.com'} for i in range(TOTAL)])
    log(f"created {len(partners)} customers")
    subs = env['isp.subscription'].browse()
    for offset in range(0, TOTAL, 1000):
        subs |= env['isp.subscription'].create([{
            'partner_id': partner.id,
            'plan_id': plan.id,
            'sector_id': sector.id,
            'device_id': device.id,
            'service_mac': '02:%02X:%02X:%02X:00:01' % ((i >> 16) & 255, (i >> 8) & 255, i & 255),
            'gps_lat': 18.4861,
            'gps_lng': -69.9312,
            'state': 'active',
            'start_date': TODAY,
            'next_invoice_date': NOT_DUE,
            'billing_day': min(TODAY.day, 28),
        } for i, partner in enumerate(partners[offset:offset + 1000], start=offset)])
        env.cr.commit()
    log(f"created {len(subs)} subscriptions")
    return subs


def naive_loop(env, subs):
    """What a straightforward implementation does: one subscription, one invoice, one post, one write."""
    moves = env['account.move']
    started = time.perf_counter()
    for sub in subs:
        start = sub.next_invoice_date
        end, days, full_days = period_for(start, sub.billing_day)
        move = moves.create(sub._period_invoice_values(TODAY, start, end, days, full_days))
        move.action_post()
        sub.next_invoice_date = end + timedelta(days=1)
    env.cr.commit()
    return time.perf_counter() - started


def fresh_snapshot(env):
    # Odoo cursors are REPEATABLE READ: end this transaction to see what the cron committed.
    env.cr.commit()
    env.invalidate_all()


def invoice_count(env):
    fresh_snapshot(env)
    return env['account.move'].search_count([('isp_subscription_id', '!=', False)])


def due_count(env):
    fresh_snapshot(env)
    subs = env['isp.subscription']
    return subs.search_count(subs._invoice_due_domain(TODAY))


def cron_until_done(env):
    cron = env.ref('isp_billing.ir_cron_generate_invoices')
    runs = 0
    started = time.perf_counter()
    while due_count(env) and runs < MAX_CRON_RUNS:
        cron.method_direct_trigger()
        runs += 1
    return time.perf_counter() - started, runs


def make_due(env, subs):
    subs.with_context(tracking_disable=True).write({'next_invoice_date': TODAY})
    env.cr.commit()


def main(env):
    subs = setup(env)
    chunk_size, naive_per_chunk = TOTAL // CHUNKS, NAIVE // CHUNKS
    naive_seconds = naive_created = cron_seconds = cron_created = runs = 0
    for k in range(CHUNKS):
        part = subs[k * chunk_size:(k + 1) * chunk_size]
        make_due(env, part[:naive_per_chunk])
        before = invoice_count(env)
        naive_seconds += naive_loop(env, part[:naive_per_chunk])
        naive_created += invoice_count(env) - before
        make_due(env, part[naive_per_chunk:])
        before = invoice_count(env)
        seconds, chunk_runs = cron_until_done(env)
        cron_seconds += seconds
        runs += chunk_runs
        cron_created += invoice_count(env) - before
        log(f"round {k + 1}/{CHUNKS}: naive {naive_created / naive_seconds:.1f}/s, "
            f"cron {cron_created / cron_seconds:.1f}/s so far")
    naive_rate = naive_created / naive_seconds
    cron_rate = cron_created / cron_seconds

    before = invoice_count(env)
    env.ref('isp_billing.ir_cron_generate_invoices').method_direct_trigger()
    rerun_created = invoice_count(env) - before

    env.cr.execute("""
        SELECT count(*) FROM (
            SELECT 1 FROM account_move WHERE isp_subscription_id IS NOT NULL AND state != 'cancel'
            GROUP BY isp_subscription_id, isp_period_start HAVING count(*) > 1) dup""")
    duplicates = env.cr.fetchone()[0]
    # Numbers missing inside each sequence of posted invoices (naive and cron share the journal).
    env.cr.execute("""
        SELECT COALESCE(sum(last - first + 1 - posted), 0) FROM (
            SELECT max(sequence_number) AS last, min(sequence_number) AS first, count(*) AS posted
            FROM account_move WHERE move_type = 'out_invoice' AND state = 'posted'
            GROUP BY journal_id, sequence_prefix) sequences""")
    sequence_gaps = int(env.cr.fetchone()[0])

    result = {
        'subscriptions': TOTAL,
        'batch_size': int(BATCH_SIZE),
        'naive_invoices': naive_created,
        'naive_invoices_per_second': round(naive_rate, 1),
        'cron_invoices': cron_created,
        'cron_runs': runs,
        'cron_invoices_per_second': round(cron_rate, 1),
        'speedup': round(cron_rate / naive_rate, 2),
        'rerun_created': rerun_created,
        'duplicate_periods': duplicates,
        'sequence_gaps': sequence_gaps,
    }
    print(f"naive loop   : {naive_rate:8.1f} invoices/s ({naive_created} invoices)")
    print(f"batch cron   : {cron_rate:8.1f} invoices/s ({cron_created} invoices, {runs} cron runs, "
          f"batches of {BATCH_SIZE})")
    print(f"speed-up     : {result['speedup']:.2f}x")
    print(f"rerun created: {rerun_created}")
    print(f"duplicates   : {duplicates}")
    print(f"sequence gaps: {sequence_gaps}")
    print(json.dumps(result))


main(env)  # noqa: F821 - ``env`` is provided by odoo shell

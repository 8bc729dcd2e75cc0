"""Data of the map benchmark, run inside ``odoo shell`` (see map-100k.sh).

BENCH_SUBSCRIPTIONS subscriptions of 2,000 customers on 20 sectors, placed at random (fixed seed)
over a 45 x 65 km area, in the states of a live ISP; one in a hundred has an invoice overdue.
"""
import os
import random
import sys
from datetime import date

from odoo import Command

TOTAL = int(os.environ.get('BENCH_SUBSCRIPTIONS', '100000'))
BATCH = 2000
STATES = ['active'] * 85 + ['suspended'] * 10 + ['draft'] * 5


def log(message):
    print(message, file=sys.stderr, flush=True)


def main(env):
    env = env(context={'tracking_disable': True, 'mail_create_nolog': True, 'mail_notrack': True})
    env['ir.config_parameter'].sudo().set_param('isp_core.sidecar_url', '')
    rng = random.Random(42)
    sectors = env['isp.sector'].create([
        {'name': f"Bench sector {i}", 'code': f'SEC-{900 + i}-bench',
         'gps_lat': 18.3 + rng.random() * 0.4, 'gps_lng': -70.2 + rng.random() * 0.6} for i in range(20)])
    devices = env['isp.device'].create([
        {'name': f"Bench router {i}", 'sector_id': sector.id, 'mgmt_ip': f'10.251.{i}.1', 'serial': f'BENCH-M{i}'}
        for i, sector in enumerate(sectors)])
    plan = env['isp.service_plan'].create(
        {'name': "Bench plan", 'down_mbps': 20, 'up_mbps': 5, 'price': 25.0, 'tax_ids': [Command.clear()]})
    partners = env['res.partner'].create([{'name': f"Bench customer {i}"} for i in range(2000)])
    env.cr.commit()
    for offset in range(0, TOTAL, BATCH):
        values = []
        for i in range(offset, min(TOTAL, offset + BATCH)):
            device = devices[i % len(devices)]
            values.append({
                'partner_id': partners[i % len(partners)].id, 'plan_id': plan.id,
                'sector_id': device.sector_id.id, 'device_id': device.id,
                'service_mac': '02:%02X:%02X:%02X:00:04' % ((i >> 16) & 255, (i >> 8) & 255, i & 255),
                'gps_lat': 18.3 + rng.random() * 0.4, 'gps_lng': -70.2 + rng.random() * 0.6,
                'state': STATES[i % len(STATES)], 'start_date': date(2026, 1, 1),
                'next_invoice_date': date(2026, 2, 1), 'billing_day': 1,
            })
        subs = env['isp.subscription'].create(values)
        subs.filtered(lambda s: s.id % 100 == 0 and s.state == 'active')._create_period_invoices(date(2026, 1, 1))
        env.cr.commit()
        log(f"{offset + len(values)} subscriptions")


main(env)  # noqa: F821 - ``env`` is provided by odoo shell

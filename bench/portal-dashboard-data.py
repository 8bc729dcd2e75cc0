"""Data of the customer portal benchmark, run inside ``odoo shell`` (see portal-dashboard.sh).

BENCH_SUBSCRIPTIONS subscriptions of 2,000 other customers, each with a posted invoice per
100, then the bench customer: a portal user (login and password ``bench_portal``) with three
subscriptions, one of them suspended for non-payment, and an invoice each.
"""
import os
import sys
from datetime import date

from odoo import Command

TOTAL = int(os.environ.get('BENCH_SUBSCRIPTIONS', '100000'))
BATCH = 2000
STATES = ['active'] * 85 + ['suspended'] * 10 + ['draft'] * 5


def log(message):
    print(message, file=sys.stderr, flush=True)


def subscription_values(partner, plan, device, index, state):
    return {
        'partner_id': partner.id,
        'plan_id': plan.id,
        'sector_id': device.sector_id.id,
        'device_id': device.id,
        'service_mac': '02:%02X:%02X:%02X:00:03' % ((index >> 16) & 255, (index >> 8) & 255, index & 255),
        'gps_lat': 18.4861,
        'gps_lng': -69.9312,
        'state': state,
        'start_date': date(2026, 1, 1),
        'next_invoice_date': date(2026, 2, 1),
        'billing_day': 1,
    }


def main(env):
    env = env(context={'tracking_disable': True, 'mail_create_nolog': True, 'mail_notrack': True})
    env['ir.config_parameter'].sudo().set_param('isp_core.sidecar_url', '')
    sector = env['isp.sector'].create({'name': "Bench sector", 'code': 'SEC-990-bench'})
    device = env['isp.device'].create(
        {'name': "Bench router", 'sector_id': sector.id, 'mgmt_ip': '10.250.0.1', 'serial': 'BENCH-P'})
    plans = env['isp.service_plan'].create([
        {'name': f"Bench plan {i}", 'down_mbps': 10 * (i + 1), 'up_mbps': 2 * (i + 1), 'price': 15.0 + 10 * i,
         'tax_ids': [Command.clear()]} for i in range(4)])
    partners = env['res.partner'].create([{'name': f"Bench customer {i}"} for i in range(2000)])
    env.cr.commit()
    for offset in range(0, TOTAL, BATCH):
        indexes = range(offset, min(TOTAL, offset + BATCH))
        subs = env['isp.subscription'].create([
            subscription_values(partners[i % len(partners)], plans[i % len(plans)], device, i,
                                STATES[i % len(STATES)]) for i in indexes])
        subs.filtered(lambda s: s.id % 100 == 0 and s.state != 'draft')._create_period_invoices(date(2026, 1, 1))
        env.cr.commit()
        log(f"{offset + len(indexes)} subscriptions")
    customer = env['res.partner'].create({'name': "Bench portal customer", 'email': 'bench@example.com'})
    env['res.users'].create({
        'name': customer.name, 'login': 'bench_portal', 'password': 'bench_portal', 'partner_id': customer.id,
        'group_ids': [Command.set([env.ref('base.group_portal').id])]})
    own = env['isp.subscription'].create([
        subscription_values(customer, plans[i], device, TOTAL + i, 'active') for i in range(3)])
    own._create_period_invoices(date(2026, 1, 1))
    own[2].write({'state': 'suspended', 'suspended_for_nonpayment': True,
                  'suspension_reason': "non-payment (bench)"})
    env.cr.commit()
    log("bench customer ready")


main(env)  # noqa: F821 - ``env`` is provided by odoo shell

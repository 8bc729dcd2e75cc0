/**
 * Payment to packet: 50 customers suspended by isp_billing for an overdue invoice; for each, the
 * time from registering its payment in a real Odoo 19 (the register-payment wizard) to the first
 * packet of that customer the simulated router accepts (verdict polled every few ms), split into
 * Odoo (until the payment call returned: commit and reconnection), notification (until the job
 * was in pg-boss: pg-boss's created_on), queue (until a worker started it: started_on) and
 * router (the provisioner's pass: Odoo claim, router round trips, until the verdict is accept).
 * Runs with the gateway receiving Odoo's job notifications, routers at 0 ms and at 50 ms, then
 * with the notification lost (isp_core.sidecar_url unset): the sweeper alone.
 * Goals: p95 ≤ 10 s at 50 ms; sweeper alone ≤ 2 × PROVISIONER_SWEEP_SECONDS. No asserts.
 * Needs Odoo 19 (ODOO_HOME or odoo on PATH); ISP_ODOO_TEST_CONTEXT reuses a running test Odoo.
 * Run: pnpm exec tsx bench/payment-to-packet.ts
 */
import { randomBytes } from 'node:crypto';
import { buildApp } from '@isp/gateway';
import { createLogger } from '@isp/logging';
import { createOdooClient } from '@isp/odoo-client';
import { createProvisionerOdoo, createProvisionerRuntime } from '@isp/provisioner';
import { createBatchingEnqueuer, provisioningJobQueue } from '@isp/queue';
import { startLab } from '@isp/routeros-sim';
import { adminConnection, createTestDatabase, sidecarConnection, startBenchOdoo } from '@isp/testing';
import pg from 'pg';
import { Registry } from 'prom-client';
import { z } from 'zod';

const CUSTOMERS = Number(process.env['BENCH_CUSTOMERS'] ?? '50');
const ROUTERS = 5;
const SWEEP_SECONDS = Number(process.env['PROVISIONER_SWEEP_SECONDS'] ?? '5');
const POLL_MS = 3;
const TOKEN = 'bench-odoo-notify-token';
const logger = createLogger({ name: 'bench', level: 'warn' });
const ok = z.unknown();
const ids = z.array(z.number());

const odoo = await startBenchOdoo('isp_core,isp_mikrotik,isp_billing');
const ctx = odoo.context;
const queueDb = await createTestDatabase('bench_pay');
const lab = await startLab({ host: '127.0.51.1', port: 0, count: ROUTERS });
const admin = createOdooClient({ connection: { ...adminConnection(ctx), timeoutMs: 120_000 }, logger });
const sidecar = createOdooClient({ connection: { ...sidecarConnection(ctx), timeoutMs: 120_000 }, logger });
const runtime = await createProvisionerRuntime({
  databaseUrl: queueDb.url,
  odoo: createProvisionerOdoo(sidecar),
  logger,
  applicationName: 'bench',
  lockWaitMs: 60_000,
  // main.ts's defaults (docs/configuration.md: PROVISIONER_*).
  settings: {
    dryRun: false,
    batchSize: 200,
    concurrency: 4,
    sweepSeconds: SWEEP_SECONDS,
    leaseBatch: 250,
    routerTimeoutMs: 15_000,
  },
});
const app = await buildApp({
  config: { macToken: 'bench-router-webhook-token', sidecarToken: TOKEN, rateLimitPerMinute: 6000 },
  logger,
  enqueue: createBatchingEnqueuer(runtime.boss),
  readiness: {},
  metrics: new Registry(),
});
const gatewayUrl = await app.listen({ host: '127.0.0.1', port: 0 });
const queue = new pg.Client({ connectionString: queueDb.url });
await queue.connect();

const setParam = (key: string, value: string | false): Promise<unknown> =>
  admin.callMethod('ir.config_parameter', 'set_param', undefined, { key, value }, ok);
const daysAgo = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const tag = randomBytes(3).toString('hex');
// Router identities of their own: webhooks and health checks name a router by it.
for (const [i] of lab.routers.entries()) {
  const client = await lab.adminClient(i);
  await client.execute('/system/identity/set', { name: `pay-${tag}-${i + 1}` });
  await client.close();
}
const [sectorId] = (await admin.create('isp.sector', [{ name: 'Bench', code: `SEC-PAY-${tag}` }])) as [
  number,
];
const deviceIds = await admin.create(
  'isp.device',
  lab.routers.map((r, i) => ({
    name: `pay-${tag}-${i + 1}`,
    sector_id: sectorId,
    mgmt_ip: r.address,
    api_port: r.port,
    api_user: 'admin',
    identity: `pay-${tag}-${i + 1}`,
  })),
);
const [planId] = (await admin.create('isp.service_plan', [
  { name: `Bench ${tag} 20/5`, down_mbps: 20, up_mbps: 5, price: 25 },
])) as [number];
const [{ product_id: product }] = (await admin.searchRead(
  'isp.service_plan',
  { domain: [['id', '=', planId]], fields: ['product_id'] },
  z.object({ product_id: z.tuple([z.number(), z.string()]) }),
)) as [{ product_id: [number, string] }];
const [partnerId] = (await admin.create('res.partner', [{ name: 'Bench customer' }])) as [number];
const [bankJournal] = await admin.callMethod(
  'account.journal',
  'search',
  undefined,
  { domain: [['type', '=', 'bank']], limit: 1 },
  ids,
);
const [suspendCron] = await admin.callMethod(
  'ir.cron',
  'search',
  undefined,
  { domain: [['cron_name', '=', 'ISP: suspend for non-payment']] },
  ids,
);
if (bankJournal === undefined || suspendCron === undefined) throw new Error('isp_billing is not installed');

interface Customer {
  readonly sub: number;
  readonly router: number;
  readonly mac: string;
  address: string;
  invoice: number;
  paidAt: number;
  returnedAt: number;
  acceptedAt: number;
}

const jobsSettled = async (subs: readonly number[]): Promise<boolean> =>
  (await admin.callMethod(
    'isp.provisioning_job',
    'search_count',
    undefined,
    {
      domain: [
        ['subscription_id', 'in', subs],
        ['state', '!=', 'success'],
      ],
    },
    z.number(),
  )) === 0;

/** CUSTOMERS active dynamic-DHCP customers online, then suspended by isp_billing's cron for an overdue invoice. */
async function overdueCustomers(round: number): Promise<Customer[]> {
  const issued = daysAgo(70);
  const macs = Array.from({ length: CUSTOMERS }, (_, i) =>
    `02:BC:${round.toString(16).padStart(2, '0')}:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`.toUpperCase(),
  );
  const subs = await admin.create(
    'isp.subscription',
    macs.map((mac, i) => ({
      partner_id: partnerId,
      plan_id: planId,
      sector_id: sectorId,
      device_id: deviceIds[i % ROUTERS],
      dhcp_mode: 'dynamic',
      service_mac: mac,
      gps_lat: 18.4861,
      gps_lng: -69.9312,
      start_date: issued,
      billing_day: 1,
    })),
  );
  await admin.callMethod('isp.subscription', 'action_activate', subs, {}, ok);
  await waitUntil('the activations', () => jobsSettled(subs));
  const customers = subs.map((sub, i): Customer => {
    const lease = lab.control(i % ROUTERS).dhcpBind({ mac: macs[i] ?? '' });
    if (!('address' in lease)) throw new Error(`no lease: ${lease.refused}`);
    return {
      sub,
      router: i % ROUTERS,
      mac: macs[i] ?? '',
      address: lease.address,
      invoice: 0,
      paidAt: 0,
      returnedAt: 0,
      acceptedAt: 0,
    };
  });
  const invoices = await admin.create(
    'account.move',
    customers.map((c) => ({
      move_type: 'out_invoice',
      partner_id: partnerId,
      invoice_date: issued,
      invoice_date_due: issued,
      isp_subscription_id: c.sub,
      isp_period_start: issued,
      invoice_line_ids: [[0, 0, { product_id: product[0], quantity: 1, price_unit: 25 }]],
    })),
  );
  customers.forEach((c, i) => (c.invoice = invoices[i] ?? 0));
  await admin.callMethod('account.move', 'action_post', invoices, {}, ok);
  await admin.callMethod('ir.cron', 'method_direct_trigger', [suspendCron ?? 0], {}, ok);
  await waitUntil('the suspensions', () => jobsSettled(subs));
  const notCut = customers.filter((c) => verdict(c) !== 'reject');
  if (notCut.length > 0) throw new Error(`${notCut.length} customers not cut after the suspension`);
  return customers;
}

const verdict = (c: Customer): string =>
  lab.control(c.router).packet({ src: c.address, dst: '1.1.1.1', protocol: 'tcp', dstPort: 443 }).verdict;

interface Timing {
  readonly total: number;
  readonly odoo: number;
  readonly notification: number;
  readonly queue: number;
  readonly router: number;
}

/** Pays every customer's invoice one after the other (as a cashier does) and times each to its first accepted packet. */
async function payAll(customers: Customer[]): Promise<{ timings: Timing[]; sources: Map<string, number> }> {
  const pending = new Set<Customer>();
  const state = { paying: true };
  const deadline = Date.now() + 600_000;
  const poller = (async () => {
    while ((state.paying || pending.size > 0) && Date.now() < deadline) {
      for (const c of pending)
        if (verdict(c) === 'accept') {
          c.acceptedAt = Date.now();
          pending.delete(c);
        }
      await sleep(POLL_MS);
    }
  })();
  for (const c of customers) {
    const context = { active_model: 'account.move', active_ids: [c.invoice] };
    c.paidAt = Date.now();
    pending.add(c);
    const [wizard] = await admin.create('account.payment.register', [{ journal_id: bankJournal }], context);
    await admin.callMethod('account.payment.register', 'action_create_payments', [wizard ?? 0], {}, ok, {
      context,
    });
    c.returnedAt = Date.now();
  }
  state.paying = false;
  await poller;
  if (pending.size > 0) throw new Error(`${pending.size} customers never accepted again`);
  // The reconnection job of each customer (Odoo id) and when pg-boss got it and a worker started it.
  const jobs = await admin.searchRead(
    'isp.provisioning_job',
    {
      domain: [
        ['subscription_id', 'in', customers.map((c) => c.sub)],
        ['job_type', '=', 'reconnect_subscription'],
      ],
      fields: ['subscription_id'],
    },
    z.object({ id: z.number(), subscription_id: z.tuple([z.number(), z.string()]) }),
  );
  const jobOf = new Map(jobs.map((j) => [j.subscription_id[0], j.id]));
  const rows = await queue.query<{
    odoo_job_id: number;
    source: string;
    created: Date;
    started: Date | null;
  }>(
    `SELECT (data->>'odooJobId')::int AS odoo_job_id, data->>'source' AS source,
            created_on AS created, started_on AS started
       FROM pgboss.job WHERE name = $1 AND (data->>'odooJobId')::int = ANY($2::int[])
      ORDER BY created_on`,
    [provisioningJobQueue.name, [...jobOf.values()]],
  );
  const first = new Map<number, (typeof rows.rows)[number]>();
  for (const row of rows.rows) if (!first.has(row.odoo_job_id)) first.set(row.odoo_job_id, row);
  const sources = new Map<string, number>();
  const timings = customers.map((c): Timing => {
    const row = first.get(jobOf.get(c.sub) ?? 0);
    if (row === undefined) throw new Error(`no pg-boss job for subscription ${c.sub}`);
    sources.set(row.source, (sources.get(row.source) ?? 0) + 1);
    const created = row.created.getTime();
    const started = row.started?.getTime() ?? created;
    return {
      total: c.acceptedAt - c.paidAt,
      odoo: c.returnedAt - c.paidAt,
      notification: created - c.returnedAt,
      queue: started - created,
      router: c.acceptedAt - started,
    };
  });
  return { timings, sources };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function report(label: string, timings: readonly Timing[], sources: Map<string, number>): number {
  const line = (name: keyof Timing): string =>
    `    ${name.padEnd(13)} p50 ${seconds(
      percentile(
        timings.map((t) => t[name]),
        50,
      ),
    ).padStart(9)}   p95 ${seconds(
      percentile(
        timings.map((t) => t[name]),
        95,
      ),
    ).padStart(9)}`;
  const p95 = percentile(
    timings.map((t) => t.total),
    95,
  );
  process.stdout.write(
    `  ${label}: ${timings.length} customers, jobs queued by ${[...sources].map(([s, n]) => `${s} ${n}`).join(', ')}\n` +
      `${line('total')}   (max ${seconds(Math.max(...timings.map((t) => t.total)))})\n` +
      `${line('odoo')}   payment call (commit, reconnection, job created)\n` +
      `${line('notification')}   Odoo's notification → gateway (or the sweeper) → pg-boss (created_on)\n` +
      `${line('queue')}   pg-boss → a worker started it (started_on)\n` +
      `${line('router')}   worker: Odoo claim, router round trips, until the verdict is accept\n`,
  );
  return p95;
}

const scenarios = [
  { label: 'notified, routers at 0 ms', latencyMs: 0, notify: true },
  { label: 'notified, routers at 50 ms', latencyMs: 50, notify: true },
  { label: 'notification lost (sweeper only), routers at 50 ms', latencyMs: 50, notify: false },
] as const;

try {
  await setParam('isp_core.sidecar_url', gatewayUrl);
  await setParam('isp_core.sidecar_token', TOKEN);
  process.stdout.write(
    `payment to packet: ${CUSTOMERS} customers suspended for an overdue invoice over ${ROUTERS} routers, ` +
      `payments registered one after the other, verdict polled every ${POLL_MS} ms, ` +
      `PROVISIONER_SWEEP_SECONDS=${SWEEP_SECONDS}\n`,
  );
  const p95s: number[] = [];
  for (const [round, scenario] of scenarios.entries()) {
    for (let i = 0; i < ROUTERS; i++) lab.control(i).setLatency(0);
    await setParam('isp_core.sidecar_url', gatewayUrl);
    const customers = await overdueCustomers(round + 1);
    for (let i = 0; i < ROUTERS; i++) lab.control(i).setLatency(scenario.latencyMs);
    if (!scenario.notify) await setParam('isp_core.sidecar_url', false);
    const { timings, sources } = await payAll(customers);
    p95s.push(report(scenario.label, timings, sources));
  }
  const [, at50, sweeper] = p95s as [number, number, number];
  process.stdout.write(
    `  goal p95 ≤ 10 s at 50 ms: p95 ${seconds(at50)}, ratio to goal ${(at50 / 10_000).toFixed(2)} (goal ≤ 1)\n` +
      `  goal sweeper alone ≤ 2 × PROVISIONER_SWEEP_SECONDS = ${2 * SWEEP_SECONDS} s: p95 ${seconds(sweeper)}, ` +
      `ratio ${(sweeper / (2 * SWEEP_SECONDS * 1000)).toFixed(2)} (goal ≤ 1)\n`,
  );
} finally {
  await setParam('isp_core.sidecar_url', false).catch(() => undefined);
  await app.close();
  await runtime.stop({ graceful: false });
  await queue.end();
  await lab.close();
  admin.close();
  sidecar.close();
  await odoo.stop();
  await queueDb.drop();
}

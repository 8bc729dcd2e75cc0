/**
 * Mass suspension: 5,000 subscriptions over 20 simulated routers at 50 ms latency, suspended at
 * once, against the per-router floor: the largest per-router share × one round trip per
 * subscription (what a worker applying one job at a time, one command each, cannot beat).
 * Odoo is replaced by the in-memory port the provisioner's tests use; Postgres and the routers
 * are real. Run: pnpm exec tsx bench/provisioner-mass-suspension.ts
 */
import { createLogger } from '@isp/logging';
import { createBatchingEnqueuer, provisioningJobQueue } from '@isp/queue';
import { startLab } from '@isp/routeros-sim';
import { createTestDatabase } from '@isp/testing';
import { createProvisionerRuntime } from '@isp/provisioner';
import { FakeOdoo } from '../services/provisioner/test/fake-odoo';

const SUBSCRIPTIONS = Number(process.env['BENCH_SUBSCRIPTIONS'] ?? '5000');
const ROUTERS = Number(process.env['BENCH_ROUTERS'] ?? '20');
const LATENCY_MS = Number(process.env['BENCH_LATENCY_MS'] ?? '50');

const logger = createLogger({ name: 'bench', level: 'warn' });
const db = await createTestDatabase('bench_suspend');
const lab = await startLab({ host: '127.0.43.1', port: 0, count: ROUTERS });
const odoo = new FakeOdoo();
odoo.addRouters(lab.routers);
for (let id = 1; id <= SUBSCRIPTIONS; id++) {
  const ip = `10.${50 + Math.floor(id / 65536)}.${Math.floor(id / 256) % 256}.${id % 256}`;
  odoo.subs.set(id, {
    id,
    deviceId: 1 + (id % ROUTERS),
    name: `SUB/B/${String(id).padStart(5, '0')}`,
    state: 'active',
    authMethod: 'dhcp',
    dhcpMode: 'static',
    serviceMac:
      `02:B0:00:${((id >> 16) & 255).toString(16).padStart(2, '0')}:${((id >> 8) & 255).toString(16).padStart(2, '0')}:${(id & 255).toString(16).padStart(2, '0')}`.toUpperCase(),
    serviceIp: ip,
    clientAddress: ip,
    pppoeUsername: undefined,
    pppoePassword: undefined,
    plan: { upMbps: 5, downMbps: 20 },
  });
}
const runtime = await createProvisionerRuntime({
  databaseUrl: db.url,
  odoo,
  logger,
  applicationName: 'bench',
  lockWaitMs: 120_000,
  settings: {
    dryRun: false,
    batchSize: 500,
    concurrency: 4,
    sweepSeconds: 3600,
    leaseBatch: 250,
    routerTimeoutMs: 120_000,
  },
});
const { boss } = runtime;
const send = createBatchingEnqueuer(boss);

async function runAll(jobType: 'activate_subscription' | 'suspend_subscription'): Promise<number> {
  const ids = [...odoo.subs.values()].map((s) =>
    odoo.addJob({ jobType, subscriptionId: s.id, deviceId: s.deviceId, maxAttempts: 5 }),
  );
  const started = performance.now();
  await Promise.all(ids.map((odooJobId) => send(provisioningJobQueue, { odooJobId, source: 'notify' })));
  while (!ids.every((id) => odoo.job(id).state === 'success')) {
    const failed = ids.filter((id) => odoo.job(id).state === 'failed');
    if (failed.length > 0)
      throw new Error(`${failed.length} jobs failed: ${odoo.job(failed[0] ?? 0).error ?? ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return (performance.now() - started) / 1000;
}

try {
  const setup = await runAll('activate_subscription');
  process.stdout.write(
    `setup: ${SUBSCRIPTIONS} activations over ${ROUTERS} routers (no latency) in ${setup.toFixed(1)} s\n`,
  );
  for (let i = 0; i < ROUTERS; i++) lab.control(i).setLatency(LATENCY_MS);
  for (const [id, sub] of odoo.subs) odoo.subs.set(id, { ...sub, state: 'suspended' });
  const seconds = await runAll('suspend_subscription');
  const share = Math.max(
    ...Array.from(
      { length: ROUTERS },
      (_, i) => [...odoo.subs.values()].filter((s) => s.deviceId === i + 1).length,
    ),
  );
  const floor = (share * LATENCY_MS) / 1000;
  const listed = lab.routers.reduce(
    (n, _, i) =>
      n +
      lab
        .control(i)
        .rows('/ip/firewall/address-list')
        .filter((r) => r['list'] === 'isp-suspended').length,
    0,
  );
  process.stdout.write(
    `mass suspension: ${SUBSCRIPTIONS} subscriptions, ${ROUTERS} routers, ${LATENCY_MS} ms latency\n` +
      `  time ${seconds.toFixed(2)} s; per-router floor ${floor.toFixed(2)} s (largest share ${share} × 1 round trip × ${LATENCY_MS} ms)\n` +
      `  ratio to floor ${(seconds / floor).toFixed(2)} (goal ≤ 1.3); suspended entries on routers: ${listed}\n`,
  );
} finally {
  await runtime.stop({ graceful: false });
  await lab.close();
  await db.drop();
}

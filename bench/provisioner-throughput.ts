/**
 * Worker throughput: the provisioner applying no-op jobs (the router already matches) to a
 * zero-latency simulated router, against raw pg-boss draining no-op jobs from the same Postgres
 * in the same run. Goal: ≥ 50 % of raw pg-boss. Odoo is the in-memory port of the tests.
 * Run: pnpm exec tsx bench/provisioner-throughput.ts
 */
import { createLogger } from '@isp/logging';
import pg from 'pg';
import { ALL_QUEUES, createBoss, provisioningJobQueue, startBoss } from '@isp/queue';
import { startLab } from '@isp/routeros-sim';
import { createTestDatabase } from '@isp/testing';
import { createRouterLocks, createRouterSessions, startProvisioner } from '@isp/provisioner';
import { FakeOdoo } from '../services/provisioner/test/fake-odoo';

const JOBS = Number(process.env['BENCH_JOBS'] ?? '10000');
const logger = createLogger({ name: 'bench', level: 'warn' });
const BATCH = 500;

const RAW_QUEUE = 'bench.noop';
const HISTORY = 20_000;

interface Side {
  readonly boss: ReturnType<typeof createBoss>;
  readonly url: string;
}

/**
 * A production-like job table: HISTORY completed jobs in each queue, then fresh planner
 * statistics (as autovacuum keeps them), taken before either side inserts its jobs.
 */
async function seedHistory({ boss, url }: Side): Promise<void> {
  for (const queue of [RAW_QUEUE, provisioningJobQueue.name]) {
    await boss.insert(
      queue,
      Array.from({ length: HISTORY }, (_, i) => ({
        data: { odooJobId: 1_000_000 + i, source: 'notify', enqueuedAt: new Date().toISOString() },
        singletonKey: `history-${String(i)}`,
      })),
    );
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    "UPDATE pgboss.job_common SET state = 'completed', started_on = now(), completed_on = now()",
  );
  await client.query('ANALYZE pgboss.job_common');
  await client.end();
}

async function rawPgBoss({ boss }: Side): Promise<number> {
  const queue = RAW_QUEUE;
  await boss.insert(
    queue,
    Array.from({ length: JOBS }, (_, i) => ({ data: { i } })),
  );
  let drained = 0;
  const started = performance.now();
  await boss.work(
    queue,
    { batchSize: BATCH, localConcurrency: 4, pollingIntervalSeconds: 0.5, burstWhenBatchFull: true },
    (jobs) => {
      drained += jobs.length;
      return Promise.resolve();
    },
  );
  while (drained < JOBS) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - started) / 1000;
  await boss.offWork(queue, { wait: true });
  return JOBS / seconds;
}

async function provisionerNoop({ boss, url }: Side): Promise<number> {
  const lab = await startLab({ host: '127.0.44.1', port: 0, count: 4 });
  const odoo = new FakeOdoo();
  odoo.addRouters(lab.routers);
  for (let id = 1; id <= 200; id++) {
    odoo.subs.set(id, {
      id,
      deviceId: 1 + (id % 4),
      name: `SUB/T/${id}`,
      state: 'active',
      authMethod: 'dhcp',
      dhcpMode: 'static',
      serviceMac: `02:C0:00:00:00:${id.toString(16).padStart(2, '0').toUpperCase()}`,
      serviceIp: `10.60.0.${id}`,
      clientAddress: `10.60.0.${id}`,
      pppoeUsername: undefined,
      pppoePassword: undefined,
      plan: { upMbps: 5, downMbps: 20 },
    });
  }
  const locks = createRouterLocks(url, { waitMs: 60_000 });
  const provisioner = await startProvisioner({
    boss,
    odoo,
    locks,
    sessions: createRouterSessions({ timeoutMs: 30_000 }),
    logger,
    settings: {
      dryRun: false,
      batchSize: BATCH,
      concurrency: 4,
      sweepSeconds: 3600,
      leaseBatch: 250,
      routerTimeoutMs: 30_000,
    },
  });
  const subs = [...odoo.subs.values()];
  const run = async (count: number): Promise<number> => {
    const ids = Array.from({ length: count }, (_, i) => {
      const sub = subs[i % subs.length];
      return odoo.addJob({ jobType: 'change_plan', subscriptionId: sub?.id, deviceId: sub?.deviceId });
    });
    const enqueuedAt = new Date().toISOString();
    // Inserted in bulk, as the raw pg-boss baseline is, and timed from the commit on as the baseline
    // is, so both measure draining only.
    await boss.insert(
      provisioningJobQueue.name,
      ids.map((odooJobId) => ({
        data: { odooJobId, source: 'notify', enqueuedAt },
        singletonKey: String(odooJobId),
      })),
    );
    const started = performance.now();
    // The first job not yet done moves forward only: as cheap a check as the baseline's counter.
    let pending = 0;
    const done = (id: number | undefined): boolean => id !== undefined && odoo.job(id).state === 'success';
    for (;;) {
      while (pending < ids.length && done(ids[pending])) pending++;
      if (pending === ids.length) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return (performance.now() - started) / 1000;
  };
  await run(subs.length); // puts the routers in the desired state; every later job is a no-op
  const seconds = await run(JOBS);
  await provisioner.stop();
  await locks.close();
  await lab.close();
  return JOBS / seconds;
}

/**
 * Both sides in a fresh database of their own. pg-boss's fetch and completion plans depend on the
 * job table's statistics: measured on a new, never-analysed table and on one with history.
 */
async function measure(withHistory: boolean): Promise<{ raw: number; ours: number }> {
  const db = await createTestDatabase('bench_throughput');
  const boss = createBoss({
    connectionString: db.url,
    applicationName: 'bench',
    logger,
    extra: { useListenNotify: true },
  });
  try {
    await startBoss(boss, ALL_QUEUES);
    await boss.createQueue(RAW_QUEUE);
    const side: Side = { boss, url: db.url };
    if (withHistory) await seedHistory(side);
    return { raw: await rawPgBoss(side), ours: await provisionerNoop(side) };
  } finally {
    await boss.stop({ graceful: false, close: true });
    await db.drop();
  }
}

for (const withHistory of [false, true]) {
  const { raw, ours } = await measure(withHistory);
  process.stdout.write(
    `${withHistory ? `job table with ${String(HISTORY)} completed jobs per queue, analysed` : 'new job table'}: ` +
      `raw pg-boss no-op drain ${raw.toFixed(0)} jobs/s, provisioner (no-op jobs, zero-latency routers, ` +
      `in-memory Odoo) ${ours.toFixed(0)} jobs/s, ratio ${(100 * (ours / raw)).toFixed(0)} % (goal ≥ 50 %)\n`,
  );
}

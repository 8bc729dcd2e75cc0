/**
 * Worker throughput: the provisioner applying no-op jobs (the router already matches) to a
 * zero-latency simulated router, against raw pg-boss draining the same jobs — the same messages in a
 * queue of the same definition — with a handler that does nothing, from the same Postgres in the same
 * run. Goal: ≥ 50 % of raw pg-boss. Odoo is the in-memory port of the tests.
 *
 * For reference it also prints raw pg-boss draining a default queue of tiny `{ i }` payloads, the
 * baseline of earlier versions of this bench: on a new job table raw pg-boss alone drains those much
 * faster than the provisioning messages on their exclusive queue, and with a large spread from run
 * to run, so that figure says little about the worker.
 * Run: pnpm exec tsx bench/provisioner-throughput.ts
 */
import { createLogger } from '@isp/logging';
import pg from 'pg';
import {
  ALL_QUEUES,
  createBoss,
  provisioningJobQueue,
  startBoss,
  type JobInsert,
  type ProvisioningJobMessage,
} from '@isp/queue';
import { startLab } from '@isp/routeros-sim';
import { createTestDatabase } from '@isp/testing';
import { createProvisionerRuntime } from '@isp/provisioner';
import { FakeOdoo } from '../services/provisioner/test/fake-odoo';

const JOBS = Number(process.env['BENCH_JOBS'] ?? '10000');
const logger = createLogger({ name: 'bench', level: 'warn' });
const BATCH = 500;

/** Raw pg-boss on the provisioning queue's definition, and on a default queue for reference. */
const RAW_QUEUE = 'bench.noop';
const TINY_QUEUE = 'bench.tiny';
const HISTORY = 20_000;

/** Exactly what the gateway and the sweeper queue, keyed as they key it. */
function provisioningMessages(odooJobIds: readonly number[]): JobInsert<ProvisioningJobMessage>[] {
  return odooJobIds.map((odooJobId) => {
    const data: ProvisioningJobMessage = { odooJobId, source: 'notify' };
    return { data, ...provisioningJobQueue.sendOptions(data) };
  });
}

interface Side {
  readonly boss: ReturnType<typeof createBoss>;
  readonly url: string;
}

/**
 * A production-like job table: HISTORY completed jobs in each queue, then fresh planner
 * statistics (as autovacuum keeps them), taken before either side inserts its jobs.
 */
async function seedHistory({ boss, url }: Side): Promise<void> {
  const history = provisioningMessages(Array.from({ length: HISTORY }, (_, i) => 1_000_000 + i));
  for (const queue of [RAW_QUEUE, TINY_QUEUE, provisioningJobQueue.name]) await boss.insert(queue, history);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    "UPDATE pgboss.job_common SET state = 'completed', started_on = now(), completed_on = now()",
  );
  await client.query('ANALYZE pgboss.job_common');
  await client.end();
}

async function rawPgBoss({ boss }: Side, queue: string, jobs: JobInsert[]): Promise<number> {
  await boss.insert(queue, jobs);
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
  // Built as main.ts builds it (metrics included: every router command and job is measured), on the
  // side's database; jobs are inserted through the side's pg-boss into the same queue tables.
  const runtime = await createProvisionerRuntime({
    databaseUrl: url,
    odoo,
    logger,
    applicationName: 'bench',
    lockWaitMs: 60_000,
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
    // Inserted in bulk, as the raw pg-boss baseline is, and timed from the commit on as the baseline
    // is, so both measure draining only.
    await boss.insert(provisioningJobQueue.name, provisioningMessages(ids));
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
  await runtime.stop({ graceful: false });
  await lab.close();
  return JOBS / seconds;
}

/**
 * Runs one side in a fresh database of its own, so no side drains a table that an earlier one grew.
 * pg-boss's fetch and completion plans depend on the job table's statistics: measured on a new,
 * never-analysed table and on one with history.
 */
async function inFreshDatabase(withHistory: boolean, side: (s: Side) => Promise<number>): Promise<number> {
  const db = await createTestDatabase('bench_throughput');
  const boss = createBoss({
    connectionString: db.url,
    applicationName: 'bench',
    logger,
    extra: { useListenNotify: true },
  });
  try {
    await startBoss(boss, ALL_QUEUES);
    await boss.createQueue(RAW_QUEUE, provisioningJobQueue.options);
    await boss.createQueue(TINY_QUEUE);
    if (withHistory) await seedHistory({ boss, url: db.url });
    return await side({ boss, url: db.url });
  } finally {
    await boss.stop({ graceful: false, close: true });
    await db.drop();
  }
}

async function measure(withHistory: boolean): Promise<{ tiny: number; raw: number; ours: number }> {
  const ids = Array.from({ length: JOBS }, (_, i) => i + 1);
  return {
    tiny: await inFreshDatabase(withHistory, (side) =>
      rawPgBoss(
        side,
        TINY_QUEUE,
        ids.map((i) => ({ data: { i } })),
      ),
    ),
    raw: await inFreshDatabase(withHistory, (side) => rawPgBoss(side, RAW_QUEUE, provisioningMessages(ids))),
    ours: await inFreshDatabase(withHistory, provisionerNoop),
  };
}

const percent = (part: number, whole: number): string => `${(100 * (part / whole)).toFixed(0)} %`;
for (const withHistory of [false, true]) {
  const { tiny, raw, ours } = await measure(withHistory);
  process.stdout.write(
    `${withHistory ? `job table with ${String(HISTORY)} completed jobs per queue, analysed` : 'new job table'}:\n` +
      `  raw pg-boss, no-op handler, the provisioning messages and queue   ${raw.toFixed(0).padStart(6)} jobs/s\n` +
      `  provisioner, no-op jobs, zero-latency routers, in-memory Odoo     ${ours.toFixed(0).padStart(6)} jobs/s` +
      `  ratio ${percent(ours, raw)} (goal ≥ 50 %)\n` +
      `  for reference: raw pg-boss, default queue, { i } payloads         ${tiny.toFixed(0).padStart(6)} jobs/s` +
      `  (provisioner ${percent(ours, tiny)} of it)\n`,
  );
}

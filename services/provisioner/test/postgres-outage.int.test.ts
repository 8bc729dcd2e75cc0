import { Writable } from 'node:stream';
import { createLogger } from '@isp/logging';
import { enqueue, provisioningJobQueue, type PgBoss } from '@isp/queue';
import { startLab, type Lab } from '@isp/routeros-sim';
import { resolvePostgres, startTcpProxy, useTestDatabase, type TcpProxy } from '@isp/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvisioningSubscription } from '../src/adapters/provisioner-odoo';
import { createProvisionerRuntime, type ProvisionerRuntime } from '../src/runtime';
import { FakeOdoo } from './fake-odoo';

// The shared Postgres server cannot be restarted under the other tests, so its outages are made
// the two ways a restart looks from the provisioner: every session of the queue database
// terminated by the server (pg_terminate_backend), and the server unreachable for a while (a proxy
// between the provisioner and Postgres, cut and restored). This file owns 127.0.47.x.
const db = useTestDatabase('pg_outage');
const logged: string[] = [];
const logger = createLogger({
  name: 'pg-outage-test',
  level: 'warn',
  destination: new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged.push(chunk.toString());
      done();
    },
  }),
});
const ROUTERS = 3;
const SUBSCRIPTIONS = 120;
const odoo = new FakeOdoo();
let lab: Lab;
let proxy: TcpProxy;
let boss: PgBoss;
let runtime: ProvisionerRuntime;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Terminates every session of the queue database, as a Postgres restart does; returns how many. */
async function terminateSessions(): Promise<number> {
  const admin = new pg.Client({ connectionString: (await resolvePostgres()).adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ killed: string }>(
      'SELECT count(pg_terminate_backend(pid)) AS killed FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [db().name],
    );
    return Number(rows[0]?.killed ?? 0);
  } finally {
    await admin.end();
  }
}

/** Queues Odoo's jobs as its notification would; a notification lost to the outage is the sweeper's. */
async function notify(jobIds: readonly number[]): Promise<void> {
  await Promise.all(
    jobIds.map((odooJobId) =>
      enqueue(boss, provisioningJobQueue, { odooJobId, source: 'notify' }).catch(() => undefined),
    ),
  );
}

function queueJobs(jobType: 'activate_subscription' | 'change_plan'): number[] {
  return [...odoo.subs.values()].map((sub) =>
    odoo.addJob({ jobType, subscriptionId: sub.id, deviceId: sub.deviceId, maxAttempts: 5 }),
  );
}

beforeAll(async () => {
  lab = await startLab({ host: '127.0.47.1', port: 0, count: ROUTERS });
  odoo.addRouters(lab.routers);
  for (let index = 0; index < ROUTERS; index++) lab.control(index).setLatency(40);
  for (let id = 1; id <= SUBSCRIPTIONS; id++) {
    const sub: ProvisioningSubscription = {
      id,
      deviceId: 1 + (id % ROUTERS),
      name: `SUB/PG/${id}`,
      state: 'active',
      authMethod: 'dhcp',
      dhcpMode: 'static',
      serviceMac: `02:00:00:47:00:${id.toString(16).padStart(2, '0').toUpperCase()}`,
      serviceIp: `10.47.0.${id}`,
      clientAddress: `10.47.0.${id}`,
      pppoeUsername: undefined,
      pppoePassword: undefined,
      plan: { upMbps: 5, downMbps: 20 },
    };
    odoo.subs.set(id, sub);
  }
  const noc = await lab.adminClient(0);
  await noc.add('/queue/simple', { name: 'noc-q', target: '10.47.9.9', comment: 'manual by the NOC' });
  await noc.close();

  const url = new URL(db().url);
  proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || '5432') });
  const viaProxy = proxy.urlThrough(db().url);
  // pg-boss notices a job whose worker lost its session when the heartbeat goes stale; checking
  // every second instead of every ten seconds keeps the test short.
  runtime = await createProvisionerRuntime({
    databaseUrl: viaProxy,
    odoo,
    logger,
    applicationName: 'pg-outage-test',
    bossExtra: { superviseIntervalSeconds: 1, monitorIntervalSeconds: 1 },
    lockWaitMs: 5_000,
    settings: {
      dryRun: false,
      batchSize: 10,
      concurrency: 3,
      sweepSeconds: 1,
      leaseBatch: 100,
      routerTimeoutMs: 5_000,
    },
  });
  boss = runtime.boss;
});

afterAll(async () => {
  await runtime.stop({ graceful: false });
  await proxy.close();
  await lab.close();
});

describe('provisioner with Postgres going away mid-run', () => {
  it('keeps running through killed sessions and an unreachable server, then converges with nothing lost or doubled', async () => {
    let terminated = 0;
    const killSessions = async (times: number): Promise<void> => {
      for (let round = 0; round < times; round++) {
        await sleep(150);
        terminated += await terminateSessions();
      }
    };
    const activations = queueJobs('activate_subscription');
    await notify(activations);
    await killSessions(4);

    // Unreachable for two seconds while the activations are still being applied, and Odoo queues
    // plan changes meanwhile: their notifications are lost, the sweeper finds the jobs later.
    proxy.cut();
    for (const sub of odoo.subs.values())
      odoo.subs.set(sub.id, { ...sub, plan: { upMbps: 10, downMbps: 40 } });
    const planChanges = queueJobs('change_plan');
    await notify(planChanges);
    await sleep(2_000);
    proxy.restore();
    await killSessions(6);

    const jobs = [...activations, ...planChanges];
    const deadline = Date.now() + 100_000;
    while (!jobs.every((id) => odoo.job(id).state === 'success')) {
      const failed = jobs.filter((id) => odoo.job(id).state === 'failed');
      if (failed.length > 0)
        throw new Error(`job ${failed[0] ?? 0} failed: ${odoo.job(failed[0] ?? 0).error ?? ''}`);
      if (Date.now() > deadline) throw new Error('the jobs did not converge after the outage');
      await sleep(200);
    }

    expect(terminated).toBeGreaterThan(0);
    for (let index = 0; index < ROUTERS; index++) {
      const deviceId = index + 1;
      const router = lab.control(index);
      const mine = [...odoo.subs.values()].filter((sub) => sub.deviceId === deviceId);
      const comments = (menu: string): string[] =>
        router
          .rows(menu)
          .map((row) => row['comment'] ?? '')
          .filter((comment) => comment.startsWith('isp:'));
      for (const menu of ['/ip/dhcp-server/lease', '/queue/simple']) {
        expect(comments(menu).sort()).toEqual(mine.map((sub) => `isp:${sub.name}`).sort());
      }
      expect(
        router
          .rows('/queue/simple')
          .filter((row) => row['comment']?.startsWith('isp:') === true)
          .every((row) => row['max-limit'] === '10000000/40000000'),
      ).toBe(true);
    }
    expect(
      lab
        .control(0)
        .rows('/queue/simple')
        .some((row) => row['name'] === 'noc-q'),
    ).toBe(true);
    // The failures reached the log as pg-boss errors; none of them ended the process.
    expect(logged.some((line) => line.includes('pg-boss error'))).toBe(true);
  }, 150_000);
});

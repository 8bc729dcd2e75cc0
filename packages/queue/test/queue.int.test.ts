import { createLogger } from '@isp/logging';
import { useTestDatabase } from '@isp/testing';
import pg from 'pg';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBatchingEnqueuer } from '../src/batching-enqueuer';
import { createBoss, startBoss } from '../src/boss';
import { enqueue, enqueueMany } from '../src/enqueue';
import { QueueError } from '../src/errors';
import { queueDepths } from '../src/queue-depth';
import { ALL_QUEUES } from '../src/queues/all';
import { dhcpLeaseQueue, type DhcpLeaseEvent } from '../src/queues/dhcp-lease.queue';
import { provisioningJobQueue } from '../src/queues/provisioning-job.queue';

const db = useTestDatabase('queue');
let boss: PgBoss;

beforeAll(async () => {
  boss = createBoss({
    connectionString: db().url,
    applicationName: 'isp-queue-test',
    logger: createLogger({ name: 'queue-test', level: 'silent' }),
    extra: { supervise: false, schedule: false },
  });
  await startBoss(boss, ALL_QUEUES);
});

afterAll(async () => {
  await boss.stop({ graceful: false, close: true });
});

async function jobCount(queue: string): Promise<number> {
  const client = new pg.Client({ connectionString: db().url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM pgboss.job WHERE name = $1',
      [queue],
    );
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

function lease(overrides: Partial<DhcpLeaseEvent> = {}): DhcpLeaseEvent {
  return {
    mac: 'AA:BB:CC:00:00:01',
    ip: '10.20.0.15',
    bound: true,
    server: 'dhcp-lan',
    hostname: 'ONU-1',
    router: 'edge-1',
    receivedAt: new Date().toISOString(),
    ...overrides,
  };
}

describe('startBoss', () => {
  it('creates every queue with its policy, retry options and dead-letter queue', async () => {
    const queue = await boss.getQueue('provisioning.job');
    expect(queue).toMatchObject({
      policy: 'exclusive',
      deadLetter: 'provisioning.job.dead',
      retryBackoff: true,
      retryLimit: 500,
      retryDelayMax: 900,
    });
    expect(await boss.getQueue('provisioning.job.dead')).not.toBeNull();
    expect(await boss.getQueue('dhcp.lease')).toMatchObject({
      policy: 'standard',
      deadLetter: 'dhcp.lease.dead',
      retryLimit: 500,
    });
  });

  it('is idempotent when run again by another replica', async () => {
    await expect(startBoss(boss, ALL_QUEUES)).resolves.toBe(boss);
  });

  it('brings the options of a queue an older release created up to date', async () => {
    await boss.updateQueue('provisioning.job', { retryLimit: 10 });
    await startBoss(boss, ALL_QUEUES);
    expect(await boss.getQueue('provisioning.job')).toMatchObject({ retryLimit: 500 });
  });
});

describe('enqueue', () => {
  it('stores a lease event and deduplicates a repeat of the same mac, state and ip', async () => {
    const event = lease({ mac: 'AA:BB:CC:00:00:02' });
    const first = await enqueue(boss, dhcpLeaseQueue, event);
    expect(first.duplicate).toBe(false);
    expect(first.jobId).toEqual(expect.any(String));
    const again = await enqueue(boss, dhcpLeaseQueue, { ...event, receivedAt: new Date().toISOString() });
    expect(again).toEqual({ jobId: null, duplicate: true });
    const released = await enqueue(boss, dhcpLeaseQueue, { ...event, bound: false });
    expect(released.duplicate).toBe(false);
    const [job] = await boss.findJobs(dhcpLeaseQueue.name, { id: first.jobId! });
    expect(job?.data).toEqual(event);
  });

  it('refuses an invalid payload without storing anything', async () => {
    const before = await jobCount(dhcpLeaseQueue.name);
    await expect(
      enqueue(boss, dhcpLeaseQueue, { ...lease(), mac: 'aa-bb-cc-00-00-03' }),
    ).rejects.toMatchObject({
      code: 'ISP_ERR_QUEUE_INVALID_PAYLOAD',
    });
    await expect(enqueue(boss, dhcpLeaseQueue, { mac: 'AA:BB:CC:00:00:03' })).rejects.toBeInstanceOf(
      QueueError,
    );
    expect(await jobCount(dhcpLeaseQueue.name)).toBe(before);
  });

  it('keeps one provisioning job per Odoo job id while it is queued or running', async () => {
    const message = { odooJobId: 41, source: 'notify' as const };
    const first = await enqueue(boss, provisioningJobQueue, message);
    expect(first.duplicate).toBe(false);
    expect((await enqueue(boss, provisioningJobQueue, { ...message, source: 'sweeper' })).duplicate).toBe(
      true,
    );

    const [active] = await boss.fetch(provisioningJobQueue.name);
    expect(active?.id).toBe(first.jobId);
    expect((await enqueue(boss, provisioningJobQueue, message)).duplicate).toBe(true);

    await boss.complete(provisioningJobQueue.name, first.jobId!);
    const requeued = await enqueue(boss, provisioningJobQueue, message);
    expect(requeued.duplicate).toBe(false);
  });

  it('lets different Odoo jobs through side by side', async () => {
    const results = await Promise.all(
      [101, 102, 103].map((odooJobId) =>
        enqueue(boss, provisioningJobQueue, { odooJobId, source: 'notify' }),
      ),
    );
    expect(results.map((r) => r.duplicate)).toEqual([false, false, false]);
  });

  it('stores many in one call, telling in order which repeated a job already held', async () => {
    await enqueue(boss, provisioningJobQueue, { odooJobId: 202, source: 'notify' });
    const before = await jobCount(provisioningJobQueue.name);
    const results = await enqueueMany(
      boss,
      provisioningJobQueue,
      [201, 202, 203].map((odooJobId) => ({ odooJobId, source: 'sweeper' })),
    );
    expect(results.map((r) => r.duplicate)).toEqual([false, true, false]);
    expect(results[0]?.jobId).toEqual(expect.any(String));
    expect(results[1]?.jobId).toBeNull();
    expect(await jobCount(provisioningJobQueue.name)).toBe(before + 2);
    expect(await enqueueMany(boss, provisioningJobQueue, [])).toEqual([]);
  });

  it('writes nothing of a batch with one invalid payload', async () => {
    const before = await jobCount(provisioningJobQueue.name);
    await expect(
      enqueueMany(boss, provisioningJobQueue, [
        { odooJobId: 301, source: 'sweeper' },
        { odooJobId: -1, source: 'sweeper' },
      ]),
    ).rejects.toBeInstanceOf(QueueError);
    expect(await jobCount(provisioningJobQueue.name)).toBe(before);
  });
});

describe('queueDepths', () => {
  it('counts queued jobs per queue', async () => {
    const before = await queueDepths(boss, ['dhcp.lease']);
    await enqueue(boss, dhcpLeaseQueue, lease({ mac: 'AA:BB:CC:00:00:09' }));
    const after = await queueDepths(boss, ['dhcp.lease']);
    expect(after[0]?.queued).toBe((before[0]?.queued ?? 0) + 1);
    expect(after[0]).toMatchObject({ queue: 'dhcp.lease', active: 0 });
  });
});

describe('createBatchingEnqueuer', () => {
  it('stores concurrent distinct jobs, each resolved after its commit', async () => {
    const enqueueBatched = createBatchingEnqueuer(boss, { maxBatch: 16, maxInFlight: 2 });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        enqueueBatched(
          dhcpLeaseQueue,
          lease({ mac: `AA:BB:CD:00:00:${i.toString(16).padStart(2, '0').toUpperCase()}` }),
        ),
      ),
    );
    expect(results.filter((r) => r.duplicate)).toHaveLength(0);
    const [first] = await boss.findJobs(dhcpLeaseQueue.name, { id: results[0]!.jobId! });
    expect(first?.data).toMatchObject({ mac: 'AA:BB:CD:00:00:00' });
  });

  it('reports repeats inside one batch and across batches as duplicates', async () => {
    const enqueueBatched = createBatchingEnqueuer(boss, { maxBatch: 8, maxInFlight: 1 });
    const event = lease({ mac: 'AA:BB:CE:00:00:01' });
    const results = await Promise.all(
      Array.from({ length: 30 }, () => enqueueBatched(dhcpLeaseQueue, event)),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await boss.findJobs(dhcpLeaseQueue.name, { data: { mac: 'AA:BB:CE:00:00:01' } })).toHaveLength(1);
  });

  it('writes the jobs submitted in one turn of the event loop with one INSERT', async () => {
    const enqueueBatched = createBatchingEnqueuer(boss);
    const inserts = vi.spyOn(boss, 'insert');
    try {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          enqueueBatched(dhcpLeaseQueue, lease({ mac: `AA:BB:CF:00:00:0${i}` })),
        ),
      );
      expect(results.filter((r) => r.duplicate)).toHaveLength(0);
      expect(inserts).toHaveBeenCalledTimes(1);
    } finally {
      inserts.mockRestore();
    }
  });

  it('refuses an invalid payload before touching the database', () => {
    const enqueueBatched = createBatchingEnqueuer(boss);
    expect(() => enqueueBatched(provisioningJobQueue, { odooJobId: 'x' })).toThrow(QueueError);
  });
});

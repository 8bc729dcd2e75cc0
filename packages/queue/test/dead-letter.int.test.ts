import { createLogger } from '@isp/logging';
import { useTestDatabase } from '@isp/testing';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBoss, startBoss } from '../src/boss';
import { deadLetter } from '../src/dead-letter';
import { ALL_QUEUES } from '../src/queues/all';
import { provisioningJobQueue } from '../src/queues/provisioning-job.queue';

const db = useTestDatabase('dead_letter');
let boss: PgBoss;

beforeAll(async () => {
  boss = createBoss({
    connectionString: db().url,
    applicationName: 'isp-dead-letter-test',
    logger: createLogger({ name: 'dead-letter-test', level: 'silent' }),
    extra: { supervise: false, schedule: false },
  });
  await startBoss(boss, ALL_QUEUES);
});

afterAll(async () => {
  await boss.stop({ graceful: false, close: true });
});

describe(deadLetter.name, () => {
  it('moves a job to the dead-letter queue at once, with its payload and the error, and cancels it', async () => {
    const id = await boss.send(provisioningJobQueue.name, { odooJobId: 'not a number' });
    const [job] = await boss.fetch(provisioningJobQueue.name);
    expect(job?.id).toBe(id);

    await deadLetter(boss, provisioningJobQueue, [
      { id: id ?? '', data: job?.data, error: 'odooJobId: expected number' },
    ]);

    const [dead] = await boss.fetch(provisioningJobQueue.deadLetter);
    expect(dead?.data).toEqual({
      queue: provisioningJobQueue.name,
      jobId: id,
      payload: { odooJobId: 'not a number' },
      error: 'odooJobId: expected number',
    });
    expect(await boss.findJobs(provisioningJobQueue.name, { id: id ?? '' })).toMatchObject([
      { state: 'cancelled', retryCount: 0 },
    ]);
  });
});

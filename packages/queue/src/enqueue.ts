import { randomUUID } from 'node:crypto';
import type { JobInsert, PgBoss, SendOptions } from 'pg-boss';
import type { z } from 'zod';
import { QueueError } from './errors';
import { parsePayload, type QueueDefinition } from './queue-definition';

export interface EnqueueResult {
  /** pg-boss job id, or null when an equal job already exists (deduplicated). */
  readonly jobId: string | null;
  readonly duplicate: boolean;
}

/** Per-call additions to the queue's own send options (deferral, a pg-boss group, …). */
export type EnqueueOptions = Pick<SendOptions, 'startAfter' | 'group' | 'priority'>;

/**
 * Validates the payload and stores it in pg-boss with the queue's deduplication key. When the promise
 * resolves the job is committed in Postgres (or an equal one already was): safe to acknowledge.
 */
export async function enqueue<S extends z.ZodType>(
  boss: PgBoss,
  definition: QueueDefinition<S>,
  payload: unknown,
  options: EnqueueOptions = {},
): Promise<EnqueueResult> {
  const data = parsePayload(definition, payload);
  let jobId: string | null;
  try {
    jobId = await boss.send(definition.name, data as object, { ...definition.sendOptions(data), ...options });
  } catch (err) {
    throw new QueueError('ISP_ERR_QUEUE_UNAVAILABLE', { queue: definition.name, cause: err });
  }
  return { jobId, duplicate: jobId === null };
}

/**
 * Writes `jobs` in one multi-row INSERT (one commit) and tells, in their order, which were stored and
 * which repeated a job the queue's policy already holds. Client-side ids tell which rows pg-boss's
 * INSERT … ON CONFLICT DO NOTHING kept.
 */
export async function insertJobs(
  boss: PgBoss,
  queue: string,
  jobs: readonly (JobInsert & { readonly id: string })[],
): Promise<EnqueueResult[]> {
  if (jobs.length === 0) return [];
  const inserted = new Set(await boss.insert(queue, [...jobs], { returnId: true }));
  return jobs.map((job) => {
    const stored = inserted.has(job.id);
    return { jobId: stored ? job.id : null, duplicate: !stored };
  });
}

/** A validated payload as a pg-boss row with the queue's send options and an id of its own. */
export function jobFor<S extends z.ZodType>(
  definition: QueueDefinition<S>,
  data: z.output<S>,
  options: EnqueueOptions = {},
): JobInsert & { readonly id: string } {
  return { ...definition.sendOptions(data), ...options, id: randomUUID(), data: data as object };
}

/**
 * `enqueue` for many payloads at once: all are validated first (one invalid payload writes nothing),
 * then stored in one INSERT. Results are in the payloads' order.
 */
export async function enqueueMany<S extends z.ZodType>(
  boss: PgBoss,
  definition: QueueDefinition<S>,
  payloads: readonly unknown[],
): Promise<EnqueueResult[]> {
  const jobs = payloads.map((payload) => jobFor(definition, parsePayload(definition, payload)));
  try {
    return await insertJobs(boss, definition.name, jobs);
  } catch (err) {
    throw new QueueError('ISP_ERR_QUEUE_UNAVAILABLE', { queue: definition.name, cause: err });
  }
}

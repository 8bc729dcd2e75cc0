import type { PgBoss, SendOptions } from 'pg-boss';
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

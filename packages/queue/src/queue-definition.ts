import type { Queue, SendOptions } from 'pg-boss';
import type { z } from 'zod';
import { QueueError } from './errors';

/** Queue-level options pg-boss stores with the queue; jobs inherit them. */
export type QueueOptions = Omit<Queue, 'name' | 'deadLetter'>;

/**
 * Everything both ends of a queue agree on: its name, the payload schema, how it retries and where
 * jobs go when they run out of retries, and how a payload maps to its deduplication key.
 */
export interface QueueDefinition<S extends z.ZodType> {
  readonly name: string;
  readonly schema: S;
  readonly options: QueueOptions;
  /** Queue that receives jobs whose retries are exhausted; created along with the queue. */
  readonly deadLetter: string;
  /** Per-job send options derived from the payload (singleton key and window). */
  sendOptions(payload: z.output<S>): SendOptions;
}

export type PayloadOf<D> = D extends QueueDefinition<infer S> ? z.output<S> : never;

/** Validates a payload against the queue's schema (before sending, and again in the worker). */
export function parsePayload<S extends z.ZodType>(
  definition: QueueDefinition<S>,
  data: unknown,
): z.output<S> {
  const result = definition.schema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new QueueError('ISP_ERR_QUEUE_INVALID_PAYLOAD', {
      queue: definition.name,
      message: `invalid ${definition.name} payload: ${problems}`,
    });
  }
  return result.data;
}

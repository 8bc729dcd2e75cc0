import type { PgBoss } from 'pg-boss';
import type { z } from 'zod';
import type { QueueDefinition } from './queue-definition';

/** A job that can never succeed, with why (its payload failed the queue's schema). */
export interface PoisonJob {
  readonly id: string;
  readonly data: unknown;
  readonly error: string;
}

/**
 * Moves jobs straight to their queue's dead-letter queue, without spending retries on them: a copy
 * (the original payload and the error) goes to the dead-letter queue, then the original is cancelled.
 * A crash between the two leaves the original to be dead-lettered again: a second copy, no loss.
 */
export async function deadLetter<S extends z.ZodType>(
  boss: PgBoss,
  definition: QueueDefinition<S>,
  jobs: readonly PoisonJob[],
): Promise<void> {
  if (jobs.length === 0) return;
  await boss.insert(
    definition.deadLetter,
    jobs.map((job) => ({
      data: { queue: definition.name, jobId: job.id, payload: job.data, error: job.error },
    })),
  );
  await boss.cancel(
    definition.name,
    jobs.map((job) => job.id),
  );
}

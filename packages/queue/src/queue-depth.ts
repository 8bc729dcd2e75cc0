import type { PgBoss } from 'pg-boss';

export interface QueueDepth {
  readonly queue: string;
  /** Jobs waiting (created or retry), including deferred ones. */
  readonly queued: number;
  readonly active: number;
  /** Failed jobs still retained. */
  readonly failed: number;
}

/** Live counts per queue (read from the job table, not pg-boss's cached statistics). */
export async function queueDepths(boss: PgBoss, names: readonly string[]): Promise<QueueDepth[]> {
  const depths: QueueDepth[] = [];
  for (const name of names) {
    const stats = await boss.getQueueStats(name);
    depths.push({
      queue: name,
      queued: stats.queuedCount,
      active: stats.activeCount,
      failed: stats.failedCount,
    });
  }
  return depths;
}

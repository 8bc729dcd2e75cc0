import type { Logger } from '@isp/logging';
import { PgBoss, type ConstructorOptions } from 'pg-boss';
import type { z } from 'zod';
import type { QueueDefinition } from './queue-definition';

/** The Postgres schema that holds pg-boss's tables, the same for every sidecar. */
export const PGBOSS_SCHEMA = 'pgboss';

/** How often a sidecar checks for jobs of dead workers: one cheap query per process. */
const SUPERVISE_INTERVAL_SECONDS = 10;

export interface BossOptions {
  readonly connectionString: string;
  /** Shown in pg_stat_activity, e.g. `isp-gateway`. */
  readonly applicationName: string;
  /** Pool size; pg-boss's default is 10. */
  readonly poolSize?: number;
  readonly logger: Logger;
  /** Extra pg-boss options (e.g. `schedule: false` for a service that runs no cron). */
  readonly extra?: Omit<ConstructorOptions, 'connectionString' | 'schema' | 'application_name' | 'max'>;
}

/** A pg-boss instance on the shared schema, its errors logged instead of crashing the process. */
export function createBoss(options: BossOptions): PgBoss {
  const boss = new PgBoss({
    // Supervision finds the jobs of a dead worker (stopped heartbeat) and expired ones; pg-boss's
    // default of 60 s for each interval adds up to two minutes to a crash recovery.
    superviseIntervalSeconds: SUPERVISE_INTERVAL_SECONDS,
    monitorIntervalSeconds: SUPERVISE_INTERVAL_SECONDS,
    ...options.extra,
    connectionString: options.connectionString,
    schema: PGBOSS_SCHEMA,
    application_name: options.applicationName,
    max: options.poolSize ?? 10,
  });
  const log = options.logger.child({ component: 'pg-boss' });
  // Without a listener an 'error' event would throw; pg-boss reconnects by itself, so log and go on.
  boss.on('error', (err: Error) => {
    log.error({ err }, 'pg-boss error');
  });
  boss.on('warning', (warning) => {
    log.warn({ warning: warning.message, data: warning.data }, 'pg-boss warning');
  });
  return boss;
}

/**
 * Creates each queue and its dead-letter queue if missing, and brings the options of existing ones up
 * to date (pg-boss's create leaves an existing queue as it is). The policy of an existing queue cannot
 * change; a new policy needs a new queue name.
 */
export async function ensureQueues(
  boss: PgBoss,
  definitions: readonly QueueDefinition<z.ZodType>[],
): Promise<void> {
  for (const definition of definitions) {
    const { policy: _policy, partition: _partition, ...updatable } = definition.options;
    await boss.createQueue(definition.deadLetter, {
      policy: 'standard',
      retentionSeconds: updatable.retentionSeconds,
    });
    await boss.createQueue(definition.name, { ...definition.options, deadLetter: definition.deadLetter });
    await boss.updateQueue(definition.name, { ...updatable, deadLetter: definition.deadLetter });
  }
}

/** Starts pg-boss (creating or migrating its schema) and ensures the given queues exist. */
export async function startBoss(
  boss: PgBoss,
  definitions: readonly QueueDefinition<z.ZodType>[],
): Promise<PgBoss> {
  await boss.start();
  await ensureQueues(boss, definitions);
  return boss;
}

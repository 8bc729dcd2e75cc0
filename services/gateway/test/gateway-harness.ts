import { createLogger } from '@isp/logging';
import {
  ALL_QUEUES,
  createBoss,
  createBatchingEnqueuer,
  createSidecarMetrics,
  startBoss,
  type PgBoss,
} from '@isp/queue';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app';
import { createSharedRateLimit, type SharedRateLimit } from '../src/http/shared-rate-limit';

export const MAC_TOKEN = 'mac-token-for-tests-0123456789';
export const SIDECAR_TOKEN = 'sidecar-token-for-tests-0123456789';

export interface Harness {
  readonly app: FastifyInstance;
  readonly boss: PgBoss;
  /** The per-router budgets, shared through Postgres as in production (synced by the test). */
  readonly rateLimit: SharedRateLimit;
  /** Flip to make the fake Odoo readiness check fail. */
  odooUp: boolean;
  jobCount(queue?: string): Promise<number>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly rateLimitPerMinute?: number;
  /** The rate limiter's clock (ms), so a test does not straddle a window. */
  readonly now?: () => number;
  /** Where the gateway's pg-boss connects (a proxy a test can cut); the test's own counts use `databaseUrl`. */
  readonly queueUrl?: string;
}

/** A gateway on a real pg-boss in the given database, answering through `inject()`. */
export async function startHarness(databaseUrl: string, options: HarnessOptions = {}): Promise<Harness> {
  const logger = createLogger({ name: 'gateway-test', level: 'silent' });
  const boss = createBoss({
    connectionString: options.queueUrl ?? databaseUrl,
    applicationName: 'isp-gateway-test',
    logger,
    extra: { supervise: false, schedule: false },
  });
  await startBoss(boss, ALL_QUEUES);
  const metrics = createSidecarMetrics({ service: 'gateway', boss, queues: ALL_QUEUES.map((q) => q.name) });
  // Synced only when a test asks, so what a replica knows of the others is up to the test.
  const rateLimit = createSharedRateLimit({
    db: boss.getDb(),
    logger,
    syncIntervalMs: 3_600_000,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  await rateLimit.start();
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  const harness: Harness = {
    app: await buildApp({
      config: {
        macToken: MAC_TOKEN,
        sidecarToken: SIDECAR_TOKEN,
        rateLimitPerMinute: options.rateLimitPerMinute ?? 1_000_000,
      },
      logger,
      enqueue: createBatchingEnqueuer(boss),
      readiness: {
        postgres: async () => {
          await boss.isInstalled();
        },
        odoo: () => (harness.odooUp ? Promise.resolve() : Promise.reject(new Error('connect ECONNREFUSED'))),
      },
      metrics: metrics.registry,
      rateLimitStore: rateLimit.store,
    }),
    boss,
    rateLimit,
    odooUp: true,
    async jobCount(queue) {
      const { rows } = await sql.query<{ n: string }>(
        queue === undefined
          ? 'SELECT count(*) AS n FROM pgboss.job'
          : 'SELECT count(*) AS n FROM pgboss.job WHERE name = $1',
        queue === undefined ? [] : [queue],
      );
      return Number(rows[0]?.n);
    },
    async close() {
      await harness.app.close();
      await rateLimit.close();
      await boss.stop({ graceful: false, close: true });
      await sql.end();
    },
  };
  return harness;
}

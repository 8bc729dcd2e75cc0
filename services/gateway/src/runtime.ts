import type { Logger } from '@isp/logging';
import {
  ALL_QUEUES,
  type BossOptions,
  createBatchingEnqueuer,
  createBoss,
  createSidecarMetrics,
  startBoss,
  type PgBoss,
  type SidecarMetrics,
} from '@isp/queue';
import type { FastifyInstance } from 'fastify';
import { buildApp, type GatewayDeps } from './app';
import { createSharedRateLimit, type SharedRateLimit } from './http/shared-rate-limit';
import type { ReadinessCheck } from './routes/health.route';

export interface GatewayRuntimeOptions {
  /** Postgres of the queue (pg-boss) and of the shared rate-limit counts. */
  readonly databaseUrl: string;
  readonly logger: Logger;
  readonly config: GatewayDeps['config'];
  /** Whether Odoo answers, for `/readyz` (Postgres is always checked). */
  readonly odooReady?: ReadinessCheck;
  readonly applicationName?: string;
  /** pg-boss settings beyond ours (tests turn supervision off). */
  readonly bossExtra?: BossOptions['extra'];
  readonly poolSize?: number;
  /** Batches of lease events the enqueuer may have in flight at once. */
  readonly enqueueMaxInFlight?: number;
  /** Rate-limit sync interval and clock (tests control both). */
  readonly rateLimit?: { readonly syncIntervalMs?: number; readonly now?: () => number };
}

export interface GatewayRuntime {
  /** The HTTP app, built and not yet listening (tests use `inject()`). */
  readonly app: FastifyInstance;
  readonly boss: PgBoss;
  readonly rateLimit: SharedRateLimit;
  readonly metrics: SidecarMetrics;
  /** Stops accepting and lets in-flight requests finish, then the rate limiter and pg-boss. */
  close(options?: { readonly graceful?: boolean }): Promise<void>;
}

/**
 * The gateway as it runs: pg-boss (sending only: no cron scheduling, that is the provisioner's),
 * per-router budgets counted in Postgres across replicas, metrics, and the app. The one
 * composition root: main.ts, the test harness, the end-to-end tests and the benches build the
 * gateway here.
 */
export async function createGatewayRuntime(options: GatewayRuntimeOptions): Promise<GatewayRuntime> {
  const { logger } = options;
  const boss = createBoss({
    connectionString: options.databaseUrl,
    applicationName: options.applicationName ?? 'isp-gateway',
    logger,
    ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
    extra: { schedule: false, ...options.bossExtra },
  });
  await startBoss(boss, ALL_QUEUES);
  const rateLimit = createSharedRateLimit({
    db: boss.getDb(),
    logger: logger.child({ component: 'rate-limit' }),
    ...options.rateLimit,
  });
  await rateLimit.start();
  const metrics = createSidecarMetrics({ service: 'gateway', boss, queues: ALL_QUEUES.map((q) => q.name) });
  const readiness: Record<string, ReadinessCheck> = {
    postgres: async () => {
      await boss.isInstalled();
    },
  };
  if (options.odooReady !== undefined) readiness['odoo'] = options.odooReady;
  const app = await buildApp({
    config: options.config,
    logger,
    enqueue: createBatchingEnqueuer(
      boss,
      options.enqueueMaxInFlight === undefined ? {} : { maxInFlight: options.enqueueMaxInFlight },
    ),
    readiness,
    metrics: metrics.registry,
    rateLimitStore: rateLimit.store,
  });
  return {
    app,
    boss,
    rateLimit,
    metrics,
    async close({ graceful = true } = {}) {
      await app.close();
      await rateLimit.close();
      await boss.stop({ graceful, close: true, timeout: 10_000 });
    },
  };
}

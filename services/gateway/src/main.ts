import { createLogger } from '@isp/logging';
import { createOdooClient } from '@isp/odoo-client';
import { loadConfigOrExit, onShutdownSignal } from '@isp/runtime';
import { ALL_QUEUES, createBoss, createBatchingEnqueuer, createSidecarMetrics, startBoss } from '@isp/queue';
import { buildApp } from './app';
import { loadConfig } from './config';
import { createSharedRateLimit } from './http/shared-rate-limit';

// After SIGTERM, in-flight requests get this long to finish before the process exits regardless.
const SHUTDOWN_DEADLINE_MS = 20_000;

async function main(): Promise<void> {
  const config = loadConfigOrExit(() => loadConfig(process.env));
  const logger = createLogger({ name: 'gateway', level: config.logLevel });
  const boss = createBoss({
    connectionString: config.databaseUrl,
    applicationName: 'isp-gateway',
    logger,
    // The gateway only sends; cron scheduling belongs to the provisioner.
    extra: { schedule: false },
  });
  await startBoss(boss, ALL_QUEUES);
  // Readiness probes must answer fast: no retries, a short deadline.
  const odoo = createOdooClient({ connection: { ...config.odoo, retries: 0, timeoutMs: 2_500 }, logger });
  // Per-router budgets counted in Postgres, so that they hold however many gateways run.
  const rateLimit = createSharedRateLimit({
    db: boss.getDb(),
    logger: logger.child({ component: 'rate-limit' }),
  });
  await rateLimit.start();
  const metrics = createSidecarMetrics({ service: 'gateway', boss, queues: ALL_QUEUES.map((q) => q.name) });

  const app = await buildApp({
    config,
    logger,
    enqueue: createBatchingEnqueuer(boss),
    readiness: {
      postgres: async () => {
        await boss.isInstalled();
      },
      odoo: (signal) => odoo.verify({ signal }),
    },
    metrics: metrics.registry,
    rateLimitStore: rateLimit.store,
  });

  onShutdownSignal(logger, SHUTDOWN_DEADLINE_MS, async () => {
    // Stop accepting and let in-flight requests (whose enqueue may be under way) finish, then the queue.
    await app.close();
    await rateLimit.close();
    await boss.stop({ graceful: true, close: true, timeout: 10_000 });
    odoo.close();
  });

  await app.listen({ port: config.port, host: config.host });
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

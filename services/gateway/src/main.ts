import { createLogger } from '@isp/logging';
import { createOdooClient } from '@isp/odoo-client';
import { ALL_QUEUES, createBoss, createBatchingEnqueuer, createSidecarMetrics, startBoss } from '@isp/queue';
import { buildApp } from './app';
import { loadConfig } from './config';

// After SIGTERM, in-flight requests get this long to finish before the process exits regardless.
const SHUTDOWN_DEADLINE_MS = 20_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
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
  });

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown deadline passed, exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    force.unref();
    // Stop accepting and let in-flight requests (whose enqueue may be under way) finish, then the queue.
    await app.close();
    await boss.stop({ graceful: true, close: true, timeout: 10_000 });
    odoo.close();
    logger.info('stopped');
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutdown(signal).catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exitCode = 1;
      });
    });
  }

  await app.listen({ port: config.port, host: config.host });
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

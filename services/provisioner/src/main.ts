import { createLogger } from '@isp/logging';
import { createOdooClient } from '@isp/odoo-client';
import { ALL_QUEUES, createBoss, createSidecarMetrics, startBoss } from '@isp/queue';
import { createProvisionerOdoo } from './adapters/provisioner-odoo';
import { createRouterLocks } from './adapters/router-lock';
import { createRouterSessions } from './adapters/router-sessions';
import { loadConfig } from './config';
import { startHealthServer } from './health-server';
import { startProvisioner } from './provisioner';

const SHUTDOWN_DEADLINE_MS = 60_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const logger = createLogger({ name: 'provisioner', level: config.logLevel });
  const boss = createBoss({
    connectionString: config.databaseUrl,
    applicationName: 'isp-provisioner',
    logger,
    extra: { useListenNotify: true },
  });
  await startBoss(boss, ALL_QUEUES);
  const odooClient = createOdooClient({ connection: config.odoo, logger });
  const metrics = createSidecarMetrics({
    service: 'provisioner',
    boss,
    queues: ALL_QUEUES.map((q) => q.name),
  });
  const locks = createRouterLocks(config.databaseUrl, { waitMs: config.lockWaitMs });
  const provisioner = await startProvisioner({
    boss,
    odoo: createProvisionerOdoo(odooClient),
    locks,
    sessions: createRouterSessions({ timeoutMs: config.routerTimeoutMs }),
    logger,
    metrics,
    settings: config,
  });
  let stopping = false;
  const health = await startHealthServer({
    host: config.healthHost,
    port: config.healthPort,
    registry: metrics.registry,
    healthy: () => !stopping,
  });
  logger.info({ health: `http://${config.healthHost}:${config.healthPort}` }, 'provisioner running');

  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown deadline passed, exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    force.unref();
    await provisioner.stop();
    await boss.stop({ graceful: true, close: true, timeout: 30_000 });
    await locks.close();
    odooClient.close();
    health.close();
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
}

main().catch((err: unknown) => {
  process.stderr.write(`provisioner failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

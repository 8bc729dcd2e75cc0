import { createLogger } from '@isp/logging';
import { createOdooClient } from '@isp/odoo-client';
import { loadConfigOrExit, onShutdownSignal } from '@isp/runtime';
import { ALL_QUEUES, createBoss, createSidecarMetrics, startBoss } from '@isp/queue';
import { createProvisionerOdoo } from './adapters/provisioner-odoo';
import { createRouterLocks } from './adapters/router-lock';
import { createRouterSessions } from './adapters/router-sessions';
import { loadConfig } from './config';
import { startHealthServer } from './health-server';
import { startProvisioner } from './provisioner';

const SHUTDOWN_DEADLINE_MS = 60_000;

async function main(): Promise<void> {
  const config = loadConfigOrExit(() => loadConfig(process.env));
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
    sessions: createRouterSessions({ timeoutMs: config.routerTimeoutMs, metrics }),
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

  onShutdownSignal(logger, SHUTDOWN_DEADLINE_MS, async () => {
    stopping = true;
    await provisioner.stop();
    await boss.stop({ graceful: true, close: true, timeout: 30_000 });
    await locks.close();
    odooClient.close();
    health.close();
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`provisioner failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

import { createLogger } from '@isp/logging';
import { createOdooClient } from '@isp/odoo-client';
import { loadConfigOrExit, onShutdownSignal } from '@isp/runtime';
import { createProvisionerOdoo } from './adapters/provisioner-odoo';
import { loadConfig } from './config';
import { startHealthServer } from './health-server';
import { createProvisionerRuntime } from './runtime';

const SHUTDOWN_DEADLINE_MS = 60_000;

async function main(): Promise<void> {
  const config = loadConfigOrExit(() => loadConfig(process.env));
  const logger = createLogger({ name: 'provisioner', level: config.logLevel });
  const odooClient = createOdooClient({ connection: config.odoo, logger });
  const runtime = await createProvisionerRuntime({
    databaseUrl: config.databaseUrl,
    odoo: createProvisionerOdoo(odooClient),
    logger,
    settings: config,
    lockWaitMs: config.lockWaitMs,
  });
  let stopping = false;
  const health = await startHealthServer({
    host: config.healthHost,
    port: config.healthPort,
    registry: runtime.metrics.registry,
    healthy: () => !stopping,
  });
  logger.info({ health: `http://${config.healthHost}:${config.healthPort}` }, 'provisioner running');

  onShutdownSignal(logger, SHUTDOWN_DEADLINE_MS, async () => {
    stopping = true;
    await runtime.stop();
    odooClient.close();
    health.close();
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`provisioner failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

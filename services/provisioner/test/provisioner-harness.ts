import { createLogger } from '@isp/logging';
import {
  ALL_QUEUES,
  createBoss,
  createSidecarMetrics,
  startBoss,
  type PgBoss,
  type SidecarMetrics,
} from '@isp/queue';
import type { ProvisionerOdoo } from '../src/adapters/provisioner-odoo';
import { createRouterLocks, type RouterLocks } from '../src/adapters/router-lock';
import { createRouterSessions } from '../src/adapters/router-sessions';
import { startProvisioner, type ProvisionerDeps } from '../src/provisioner';

export interface ProvisionerHarness {
  readonly boss: PgBoss;
  readonly locks: RouterLocks;
  readonly metrics: SidecarMetrics;
  /** Stops the workers, then pg-boss and the router locks. */
  stop(): Promise<void>;
}

/**
 * A provisioner as main.ts wires it (metrics included) on a real pg-boss in `databaseUrl`, with
 * small batches and short timeouts for tests; `settings` overrides them.
 */
export async function startProvisionerHarness(options: {
  readonly databaseUrl: string;
  readonly odoo: ProvisionerOdoo;
  readonly settings?: Partial<ProvisionerDeps['settings']>;
  readonly lockWaitMs?: number;
}): Promise<ProvisionerHarness> {
  const logger = createLogger({ name: 'provisioner-test', level: 'silent' });
  const boss = createBoss({
    connectionString: options.databaseUrl,
    applicationName: 'provisioner-test',
    logger,
  });
  await startBoss(boss, ALL_QUEUES);
  const locks = createRouterLocks(options.databaseUrl, { waitMs: options.lockWaitMs ?? 5_000 });
  const metrics = createSidecarMetrics({ service: 'provisioner', boss });
  const settings = {
    dryRun: false,
    batchSize: 50,
    concurrency: 2,
    sweepSeconds: 0.5,
    leaseBatch: 100,
    routerTimeoutMs: 3_000,
    ...options.settings,
  };
  const provisioner = await startProvisioner({
    boss,
    odoo: options.odoo,
    locks,
    sessions: createRouterSessions({ timeoutMs: settings.routerTimeoutMs, metrics }),
    logger,
    metrics,
    settings,
  });
  return {
    boss,
    locks,
    metrics,
    async stop() {
      await provisioner.stop();
      await boss.stop({ graceful: false, close: true });
      await locks.close();
    },
  };
}

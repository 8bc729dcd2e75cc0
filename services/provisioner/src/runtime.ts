import type { Logger } from '@isp/logging';
import {
  ALL_QUEUES,
  createBoss,
  createSidecarMetrics,
  startBoss,
  type BossOptions,
  type PgBoss,
  type SidecarMetrics,
} from '@isp/queue';
import type { ProvisionerOdoo } from './adapters/provisioner-odoo';
import { createRouterLocks, type RouterLocks } from './adapters/router-lock';
import { createRouterSessions } from './adapters/router-sessions';
import { startProvisioner, type ProvisionerDeps } from './provisioner';

export interface ProvisionerRuntimeOptions {
  readonly databaseUrl: string;
  readonly odoo: ProvisionerOdoo;
  readonly logger: Logger;
  readonly settings: ProvisionerDeps['settings'];
  /** How long a worker waits for another replica to release a router. */
  readonly lockWaitMs: number;
  /** Postgres `application_name` of the queue's connections. */
  readonly applicationName?: string;
  /** pg-boss settings beyond ours (tests shorten supervision intervals). */
  readonly bossExtra?: BossOptions['extra'];
}

export interface ProvisionerRuntime {
  readonly boss: PgBoss;
  readonly locks: RouterLocks;
  readonly metrics: SidecarMetrics;
  /** Stops the workers (router work in flight cut), then pg-boss (`graceful`: running jobs first) and the locks. */
  stop(options?: { readonly graceful?: boolean }): Promise<void>;
}

/**
 * The provisioner as it runs: pg-boss with LISTEN/NOTIFY and every queue, metrics, router locks and
 * sessions, the workers and the sweeper. The one composition root: main.ts, the test harness and
 * the benches all build the provisioner here, so what they measure and test is what runs.
 */
export async function createProvisionerRuntime(
  options: ProvisionerRuntimeOptions,
): Promise<ProvisionerRuntime> {
  const { databaseUrl, logger, settings } = options;
  const boss = createBoss({
    connectionString: databaseUrl,
    applicationName: options.applicationName ?? 'isp-provisioner',
    logger,
    extra: { useListenNotify: true, ...options.bossExtra },
  });
  await startBoss(boss, ALL_QUEUES);
  const metrics = createSidecarMetrics({
    service: 'provisioner',
    boss,
    queues: ALL_QUEUES.map((q) => q.name),
  });
  const locks = createRouterLocks(databaseUrl, { waitMs: options.lockWaitMs });
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
    async stop({ graceful = true } = {}) {
      await provisioner.stop();
      await boss.stop({ graceful, close: true, timeout: 30_000 });
      await locks.close();
    },
  };
}

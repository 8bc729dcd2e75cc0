import { createLogger } from '@isp/logging';
import type { ProvisionerOdoo } from '../src/adapters/provisioner-odoo';
import type { ProvisionerDeps } from '../src/provisioner';
import { createProvisionerRuntime, type ProvisionerRuntime } from '../src/runtime';

export type ProvisionerHarness = ProvisionerRuntime;

/**
 * The provisioner exactly as main.ts builds it (`createProvisionerRuntime`) on a real pg-boss in
 * `databaseUrl`, with small batches and short timeouts for tests; `settings` overrides them.
 * `stop()` does not wait for running jobs.
 */
export async function startProvisionerHarness(options: {
  readonly databaseUrl: string;
  readonly odoo: ProvisionerOdoo;
  readonly settings?: Partial<ProvisionerDeps['settings']>;
  readonly lockWaitMs?: number;
}): Promise<ProvisionerHarness> {
  const runtime = await createProvisionerRuntime({
    databaseUrl: options.databaseUrl,
    odoo: options.odoo,
    logger: createLogger({ name: 'provisioner-test', level: 'silent' }),
    applicationName: 'provisioner-test',
    lockWaitMs: options.lockWaitMs ?? 5_000,
    settings: {
      dryRun: false,
      batchSize: 50,
      concurrency: 2,
      sweepSeconds: 0.5,
      leaseBatch: 100,
      routerTimeoutMs: 3_000,
      ...options.settings,
    },
  });
  return { ...runtime, stop: () => runtime.stop({ graceful: false }) };
}

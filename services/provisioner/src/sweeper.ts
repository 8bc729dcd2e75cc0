import type { Logger } from '@isp/logging';
import { enqueueMany, provisioningJobQueue, type PgBoss } from '@isp/queue';
import type { ProvisionerOdoo } from './adapters/provisioner-odoo';

/**
 * Picks up queued Odoo jobs whatever happened to their notification (lost, gateway down, a job
 * parked while its router was unreachable): a lost notification costs latency, never a job. The
 * queue is keyed by the Odoo job id, so a job already queued or running is not queued again.
 */
export async function sweepOnce(deps: {
  readonly boss: PgBoss;
  readonly odoo: ProvisionerOdoo;
  readonly limit?: number;
}): Promise<{ readonly seen: number; readonly queued: number }> {
  const ids = await deps.odoo.pendingJobIds(deps.limit ?? 500);
  // One INSERT for all: jobs already queued, retrying or running are kept out by the queue's policy.
  const results = await enqueueMany(
    deps.boss,
    provisioningJobQueue,
    ids.map((odooJobId) => ({ odooJobId, source: 'sweeper' })),
  );
  return { seen: ids.length, queued: results.filter((r) => !r.duplicate).length };
}

export function startSweeper(deps: {
  readonly boss: PgBoss;
  readonly odoo: ProvisionerOdoo;
  readonly logger: Logger;
  readonly intervalSeconds: number;
}): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = (): void => {
    running = sweepOnce(deps).then(
      ({ seen, queued }) => {
        if (queued > 0) deps.logger.info({ seen, queued }, 'sweeper queued Odoo jobs');
      },
      (err: unknown) => {
        // Odoo or Postgres away: the next tick tries again.
        deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'sweep failed');
      },
    );
  };
  const timer = setInterval(() => {
    if (!stopped) tick();
  }, deps.intervalSeconds * 1000);
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

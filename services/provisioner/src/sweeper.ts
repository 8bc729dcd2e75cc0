import type { Logger } from '@isp/logging';
import { enqueue, provisioningJobQueue, type PgBoss } from '@isp/queue';
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
  let queued = 0;
  for (const odooJobId of ids) {
    const result = await enqueue(deps.boss, provisioningJobQueue, {
      odooJobId,
      source: 'sweeper',
    });
    if (!result.duplicate) queued++;
  }
  return { seen: ids.length, queued };
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

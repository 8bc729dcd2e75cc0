import type { Logger } from '@isp/logging';
import {
  deadLetter,
  DHCP_LEASE_QUEUE,
  dhcpLeaseQueue,
  parsePayload,
  PROVISIONING_JOB_QUEUE,
  provisioningJobQueue,
  type DhcpLeaseEvent,
  type PgBoss,
  type PoisonJob,
  type SidecarMetrics,
} from '@isp/queue';
import type { ProvisionerOdoo } from './adapters/provisioner-odoo';
import type { RouterLocks } from './adapters/router-lock';
import type { RouterSessions } from './adapters/router-sessions';
import { handleLeaseBatch } from './jobs/dhcp-lease.job';
import { createProvisioningWorker, type QueuedMessage } from './jobs/provisioning-job.job';
import { startSweeper } from './sweeper';

export interface ProvisionerDeps {
  readonly boss: PgBoss;
  readonly odoo: ProvisionerOdoo;
  readonly locks: RouterLocks;
  readonly sessions: RouterSessions;
  readonly logger: Logger;
  readonly metrics?: SidecarMetrics;
  readonly settings: {
    readonly dryRun: boolean;
    readonly batchSize: number;
    readonly concurrency: number;
    readonly sweepSeconds: number;
    readonly leaseBatch: number;
    readonly routerTimeoutMs: number;
  };
}

export interface Provisioner {
  /** Stops taking work, lets running batches finish, closes router sessions. */
  stop(): Promise<void>;
}

/** Starts the workers (provisioning jobs, lease events) and the sweeper on an already started pg-boss. */
export async function startProvisioner(deps: ProvisionerDeps): Promise<Provisioner> {
  const { boss, logger, settings } = deps;
  const jobLog = logger.child({ queue: PROVISIONING_JOB_QUEUE });
  const leaseLog = logger.child({ queue: DHCP_LEASE_QUEUE });
  const worker = createProvisioningWorker({
    odoo: deps.odoo,
    locks: deps.locks,
    sessions: deps.sessions,
    logger: jobLog,
    dryRun: settings.dryRun,
    routerTimeoutMs: settings.routerTimeoutMs,
    onJobSettled: (jobType, outcome, seconds) => {
      deps.metrics?.jobDuration.observe(
        { queue: PROVISIONING_JOB_QUEUE, job_type: jobType, result: outcome },
        seconds,
      );
    },
  });

  await boss.work<unknown>(
    PROVISIONING_JOB_QUEUE,
    {
      batchSize: settings.batchSize,
      localConcurrency: settings.concurrency,
      pollingIntervalSeconds: 1,
      burstWhenBatchFull: true,
    },
    async (jobs) => {
      const valid: QueuedMessage[] = [];
      const poison: PoisonJob[] = [];
      for (const job of jobs) {
        try {
          valid.push({ id: job.id, data: parsePayload(provisioningJobQueue, job.data) });
        } catch (err) {
          jobLog.error(
            { pgJobId: job.id, err: (err as Error).message },
            'invalid message sent to the dead-letter queue',
          );
          poison.push({ id: job.id, data: job.data, error: (err as Error).message });
        }
      }
      await deadLetter(boss, provisioningJobQueue, poison);
      const settlements = await worker.handleBatch(valid);
      const retry = valid.filter((m) => settlements.get(m.id) === 'retry').map((m) => m.id);
      // Failed here, with the queue's backoff; pg-boss completes every job still active when the
      // handler returns, in one plain statement (per-job results cost a JSON join per batch).
      if (retry.length > 0) await boss.fail(PROVISIONING_JOB_QUEUE, retry);
    },
  );

  await boss.work<unknown>(
    DHCP_LEASE_QUEUE,
    // Polled every 2 s: events of a storm accumulate, so Odoo gets few calls of many leases each.
    { batchSize: settings.leaseBatch * 4, pollingIntervalSeconds: 2, burstWhenBatchFull: true },
    async (jobs) => {
      const events: DhcpLeaseEvent[] = [];
      for (const job of jobs) {
        try {
          events.push(parsePayload(dhcpLeaseQueue, job.data));
        } catch (err) {
          leaseLog.error({ pgJobId: job.id, err: (err as Error).message }, 'invalid lease event dropped');
        }
      }
      // A throw (Odoo away) fails the whole batch; pg-boss retries it with backoff.
      const started = performance.now();
      const observe = (result: 'success' | 'retry'): void => {
        deps.metrics?.jobDuration.observe(
          { queue: DHCP_LEASE_QUEUE, job_type: 'register_leases', result },
          (performance.now() - started) / 1000,
        );
      };
      try {
        await handleLeaseBatch(events, { odoo: deps.odoo, logger: leaseLog, chunk: settings.leaseBatch });
      } catch (err) {
        observe('retry');
        throw err;
      }
      observe('success');
    },
  );

  const sweeper = startSweeper({
    boss,
    odoo: deps.odoo,
    logger: logger.child({ component: 'sweeper' }),
    intervalSeconds: settings.sweepSeconds,
  });
  logger.info({ dryRun: settings.dryRun }, 'provisioner workers started');

  return {
    async stop() {
      await sweeper.stop();
      // Router work in flight is cut rather than waited for (a silent router holds a command for
      // the whole router timeout): its jobs end as waiting and the next process repeats them, which
      // is safe since every write is idempotent. What goes to Odoo is still waited for.
      await deps.sessions.closeAll();
      await boss.offWork(PROVISIONING_JOB_QUEUE, { wait: true });
      await boss.offWork(DHCP_LEASE_QUEUE, { wait: true });
      await deps.sessions.closeAll();
    },
  };
}

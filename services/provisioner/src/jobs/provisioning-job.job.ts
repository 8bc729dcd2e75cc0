import type { Logger } from '@isp/logging';
import { PROVISIONING_JOB_QUEUE, provisioningJobQueue, type ProvisioningJobMessage } from '@isp/queue';
import type { OdooJob } from '../adapters/provisioner-odoo';
import type { RouterLocks } from '../adapters/router-lock';
import { errorMessage } from '../domain/failure-kind';
import { createAuditBacklog } from '../domain/audit-backlog';
import { mapLimit } from '../domain/limit';
import { ProvisionerError } from '../errors';
import { runRouterJobs, type RouterPassDeps } from './router-pass';
import { createRouterPassScheduler, type RouterPassScheduler } from './router-pass-scheduler';

export { PROVISIONING_JOB_QUEUE, provisioningJobQueue };

export interface ProvisioningDeps extends RouterPassDeps {
  readonly locks: RouterLocks;
  readonly logger: Logger;
  /** Router groups of one batch driven at once. */
  readonly routerConcurrency?: number;
}

/** What pg-boss should do with each message: done, or retry later (with the queue's backoff). */
export type Settlement = 'completed' | 'retry';

export interface QueuedMessage {
  readonly id: string;
  readonly data: ProvisioningJobMessage;
}

/** Handles the batches pg-boss hands the worker; one per process, as it coalesces router passes. */
export interface ProvisioningWorker {
  /** Runs a batch of queued messages; returns what pg-boss should do with each. */
  handleBatch(messages: readonly QueuedMessage[]): Promise<Map<string, Settlement>>;
}

// Passes over a busy router share one lock hold: the next batch of a burst usually arrives within
// the linger. After the longest hold, other replicas waiting for the router get their turn.
const ROUTER_LINGER_MS = 50;
const MAX_ROUTER_HOLD_MS = 1_000;

/**
 * Reads each batch's jobs from Odoo (the system of record), groups them by router and hands each
 * router's share to that router's next pass. A pass drives one router under its Postgres lock for
 * every job waiting for it, whichever batch brought it: one read per menu and pipelined writes.
 */
export function createProvisioningWorker(deps: ProvisioningDeps): ProvisioningWorker {
  const passDeps = { ...deps, auditBacklog: deps.auditBacklog ?? createAuditBacklog() };
  const passes = createRouterPassScheduler<OdooJob, ReadonlySet<number>>({
    hold: (deviceId, work) =>
      deps.locks.withRouter(deviceId, async (lost) => {
        const warn = (): void => {
          deps.logger.warn(
            { deviceId, err: errorMessage(lost.reason) },
            'router lock lost with its Postgres session; the next pass locks it again',
          );
        };
        lost.addEventListener('abort', warn);
        try {
          return await work(lost);
        } finally {
          lost.removeEventListener('abort', warn);
        }
      }),
    pass: async (deviceId, jobs, lost) =>
      new Set(await runRouterJobs(deviceId, jobs, passDeps, passLogger(deviceId, jobs, deps), lost)),
    failed: (deviceId, jobs, err) => {
      // The lock wait ran out, or Odoo/Postgres failed around the router work: pg-boss retries later.
      passLogger(deviceId, jobs, deps).warn({ err: errorMessage(err) }, 'router jobs deferred');
      return new Set(jobs.map((j) => j.id));
    },
    lingerMs: ROUTER_LINGER_MS,
    maxHoldMs: MAX_ROUTER_HOLD_MS,
  });
  return { handleBatch: (messages) => handleBatch(messages, passes, deps) };
}

function passLogger(deviceId: number, jobs: readonly OdooJob[], deps: ProvisioningDeps): Logger {
  return deps.logger.child({ deviceId, jobIds: jobs.map((j) => j.id) });
}

async function handleBatch(
  messages: readonly QueuedMessage[],
  passes: RouterPassScheduler<OdooJob, ReadonlySet<number>>,
  deps: ProvisioningDeps,
): Promise<Map<string, Settlement>> {
  const settlements = new Map<string, Settlement>();
  const messagesByJob = new Map<number, string[]>();
  for (const message of messages) {
    const list = messagesByJob.get(message.data.odooJobId) ?? [];
    list.push(message.id);
    messagesByJob.set(message.data.odooJobId, list);
    settlements.set(message.id, 'completed');
  }
  const settle = (jobIds: Iterable<number>, settlement: Settlement): void => {
    for (const jobId of jobIds)
      for (const id of messagesByJob.get(jobId) ?? []) settlements.set(id, settlement);
  };

  const jobs = (await deps.odoo.readJobs([...messagesByJob.keys()])).filter(
    // Only work that is still wanted: cancelled, finished or deleted jobs are acknowledged as they are.
    (job) => job.state === 'queued' || job.state === 'running',
  );
  // Odoo names the router on the job; a job without one goes to its subscription's router.
  const unrouted = jobs.flatMap((j) =>
    j.deviceId === undefined && j.subscriptionId !== undefined ? [j.subscriptionId] : [],
  );
  const routerOf = new Map(
    (unrouted.length === 0 ? [] : await deps.odoo.subscriptions({ ids: [...new Set(unrouted)] })).map((s) => [
      s.id,
      s.deviceId,
    ]),
  );

  const byRouter = new Map<number, OdooJob[]>();
  const routerless: OdooJob[] = [];
  for (const job of jobs) {
    const deviceId =
      job.deviceId ?? (job.subscriptionId === undefined ? undefined : routerOf.get(job.subscriptionId));
    if (deviceId === undefined) {
      routerless.push(job);
      continue;
    }
    const list = byRouter.get(deviceId) ?? [];
    list.push(job);
    byRouter.set(deviceId, list);
  }
  if (routerless.length > 0) {
    await deps.odoo.markFailed(
      routerless.map((j) => j.id),
      new ProvisionerError('ISP_ERR_PROVISIONER_NO_ROUTER', "no router: set the subscription's router")
        .message,
      true,
    );
  }

  await mapLimit([...byRouter.entries()], deps.routerConcurrency ?? 16, async ([deviceId, routerJobs]) => {
    settle(await passes.run(deviceId, routerJobs), 'retry');
  });
  return settlements;
}

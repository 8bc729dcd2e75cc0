import type { Logger } from '@isp/logging';
import type { RouterClient } from '@isp/routeros';
import { PROVISIONING_JOB_QUEUE, provisioningJobQueue, type ProvisioningJobMessage } from '@isp/queue';
import type { AuditEntry, OdooJob, ProvisionerOdoo } from '../adapters/provisioner-odoo';
import type { RouterLocks } from '../adapters/router-lock';
import type { RouterSessions } from '../adapters/router-sessions';
import { applySubscriptions, type ApplyOutcome } from '../domain/apply-subscriptions';
import { errorMessage, failureKind } from '../domain/failure-kind';
import { mapLimit } from '../domain/limit';
import { ProvisionerError } from '../errors';
import { applyCaptiveUsers } from './captive-users';
import { createRouterPassScheduler, type RouterPassScheduler } from './router-pass-scheduler';
import { readRouterHealth } from './router-health';

export { PROVISIONING_JOB_QUEUE, provisioningJobQueue };

export interface ProvisioningDeps {
  readonly odoo: ProvisionerOdoo;
  readonly locks: RouterLocks;
  readonly sessions: RouterSessions;
  readonly logger: Logger;
  readonly dryRun: boolean;
  readonly routerTimeoutMs: number;
  /** Router groups of one batch driven at once. */
  readonly routerConcurrency?: number;
  readonly onRoundTrips?: (deviceId: number, roundTrips: number) => void;
}

/** What pg-boss should do with each message: done, or retry later (with the queue's backoff). */
export type Settlement = 'completed' | 'retry';

export interface QueuedMessage {
  readonly id: string;
  readonly data: ProvisioningJobMessage;
}

const SUBSCRIPTION_JOBS = new Set<OdooJob['jobType']>([
  'activate_subscription',
  'suspend_subscription',
  'reconnect_subscription',
  'terminate_subscription',
  'change_plan',
]);

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
      new Set(await runRouterJobs(deviceId, jobs, deps, passLogger(deviceId, jobs, deps), lost)),
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

/** Drives one router for its jobs; returns the ids of jobs to retry later. */
async function runRouterJobs(
  deviceId: number,
  jobs: readonly OdooJob[],
  deps: ProvisioningDeps,
  log: Logger,
  lost: AbortSignal,
): Promise<number[]> {
  const attemptsNow = (job: OdooJob): number => (job.state === 'queued' ? job.attempts + 1 : job.attempts);
  const subscriptionJobs = jobs.filter((j) => SUBSCRIPTION_JOBS.has(j.jobType));
  const subscriptionIds = new Set(
    subscriptionJobs.flatMap((j) => (j.subscriptionId === undefined ? [] : [j.subscriptionId])),
  );
  // One Odoo round trip for the three. The snapshots are read under the router's lock, so a pass
  // never applies an older desired state than the pass before it did.
  const [, [credentials], snapshots] = await Promise.all([
    // A job found `running` was claimed by a worker that died; its attempt is already counted.
    deps.odoo.markRunning(jobs.filter((j) => j.state === 'queued').map((j) => j.id)),
    deps.odoo.credentials([deviceId]),
    deps.odoo.subscriptions({ ids: [...subscriptionIds] }),
  ]);
  const subscriptions = new Map(snapshots.map((s) => [s.id, s]));
  // Nothing is sent to a router whose lock went with its session: checked here and before each write
  // batch. A batch already sent when the session dies cannot be called back; its writes are
  // idempotent and the next pass, under a new lock, repairs what overlapped.
  lost.throwIfAborted();
  try {
    if (credentials === undefined) {
      throw new ProvisionerError(
        'ISP_ERR_PROVISIONER_NO_CREDENTIALS',
        `router ${deviceId} has no API credentials`,
      );
    }
    const client = deps.sessions.client(credentials);
    const audit: AuditEntry[] = [];
    const failed = new Map<number, string>();
    const auditResult = (changes: number): string =>
      deps.dryRun ? 'dry_run' : changes === 0 ? 'noop' : 'success';

    const syncJobs = jobs.filter((j) => j.jobType === 'device_sync');
    const outcomes: { jobs: readonly OdooJob[]; outcome: ApplyOutcome }[] = [];
    const applying = { dryRun: deps.dryRun, timeoutMs: deps.routerTimeoutMs, signal: lost };
    if (subscriptionJobs.length > 0) {
      const subs = [
        ...new Map(
          subscriptionJobs.flatMap((j) => {
            const sub = j.subscriptionId === undefined ? undefined : subscriptions.get(j.subscriptionId);
            return sub === undefined ? [] : [[sub.id, sub] as const];
          }),
        ).values(),
      ];
      const outcome = await applySubscriptions(client, subs, { scope: 'subscriptions', ...applying });
      outcomes.push({ jobs: subscriptionJobs, outcome });
    }
    if (syncJobs.length > 0) {
      const subs = await deps.odoo.subscriptions({ deviceId });
      const outcome = await applySubscriptions(client, subs, { scope: 'router', ...applying });
      outcomes.push({ jobs: syncJobs, outcome });
      for (const job of syncJobs) {
        const changes = [...outcome.bySubscription.values()].reduce((n, o) => n + o.changes, 0);
        audit.push({
          action: job.jobType,
          recordModel: 'isp.device',
          recordId: deviceId,
          deviceId,
          jobId: job.id,
          before: { subscriptions: subs.length },
          after: { changes, failures: outcome.failures.length },
          result: outcome.failures.length > 0 ? 'failed' : auditResult(changes),
        });
        if (outcome.failures.length > 0)
          failed.set(job.id, outcome.failures.map((f) => f.error.message).join('; '));
      }
    }
    for (const { jobs: group, outcome } of outcomes) {
      deps.onRoundTrips?.(deviceId, outcome.roundTrips);
      for (const job of group) {
        if (job.jobType === 'device_sync' || job.subscriptionId === undefined) continue;
        const result = outcome.bySubscription.get(job.subscriptionId);
        if (result === undefined) {
          failed.set(job.id, 'the subscription no longer exists');
          continue;
        }
        if (result.failures.length > 0) failed.set(job.id, result.failures.join('; '));
        audit.push({
          action: job.jobType,
          recordModel: 'isp.subscription',
          recordId: job.subscriptionId,
          deviceId,
          jobId: job.id,
          before: result.before,
          after: result.after,
          result: result.failures.length > 0 ? 'failed' : auditResult(result.changes),
        });
      }
    }
    let health = { status: 'online' } as Awaited<ReturnType<typeof readRouterHealth>>;
    if (jobs.some((j) => j.jobType === 'device_healthcheck')) {
      health = await readRouterHealth(client, deps.routerTimeoutMs);
      for (const job of jobs.filter((j) => j.jobType === 'device_healthcheck')) {
        audit.push({
          action: job.jobType,
          recordModel: 'isp.device',
          recordId: deviceId,
          deviceId,
          jobId: job.id,
          before: null,
          after: health,
          result: 'success',
        });
      }
    }
    const captiveJobs = jobs.filter(
      (j) => j.jobType === 'captive_user_create' || j.jobType === 'captive_user_disable',
    );
    if (captiveJobs.length > 0) {
      await runCaptiveJobs(client, captiveJobs, deviceId, deps, audit, failed, lost);
    }
    // The audit is written before any job is marked done: a crash in between repeats the audit, never loses it.
    await Promise.all([deps.odoo.appendAudit(audit), deps.odoo.reportDeviceStatus(deviceId, health)]);
    const done = jobs.filter((j) => !failed.has(j.id)).map((j) => j.id);
    await deps.odoo.markDone(done);
    const retry: number[] = [];
    // One call per distinct error and finality, not one per failed job.
    const failures = new Map<string, { error: string; final: boolean; ids: number[] }>();
    for (const job of jobs.filter((j) => failed.has(j.id))) {
      const error = failed.get(job.id) ?? 'failed';
      const final = attemptsNow(job) >= job.maxAttempts;
      const key = JSON.stringify([error, final]);
      const group = failures.get(key) ?? { error, final, ids: [] };
      group.ids.push(job.id);
      failures.set(key, group);
      if (!final) retry.push(job.id);
    }
    for (const { error, final, ids } of failures.values()) await deps.odoo.markFailed(ids, error, final);
    log.info({ done: done.length, failed: failed.size, dryRun: deps.dryRun }, 'router jobs applied');
    return retry;
  } catch (err) {
    const kind = failureKind(err);
    const message = errorMessage(err);
    if (kind === 'infrastructure') throw err;
    if (kind === 'unreachable') {
      log.warn({ err: message }, 'router unreachable; jobs wait');
      await deps.odoo.markWaiting(
        jobs.map((j) => j.id),
        message,
      );
      await deps.odoo.reportDeviceStatus(deviceId, { status: 'offline' });
      return jobs.map((j) => j.id);
    }
    log.warn({ err: message }, 'router refused the jobs');
    const exhausted = jobs.filter((job) => attemptsNow(job) >= job.maxAttempts).map((j) => j.id);
    const retry = jobs.filter((job) => attemptsNow(job) < job.maxAttempts).map((j) => j.id);
    await deps.odoo.markFailed(exhausted, message, true);
    await deps.odoo.markFailed(retry, message, false);
    await deps.odoo.reportDeviceStatus(deviceId, { status: 'error' });
    return retry;
  }
}

/** Hotspot users: created (enabled) or disabled on the router, then their state set in Odoo. */
async function runCaptiveJobs(
  client: RouterClient,
  jobs: readonly OdooJob[],
  deviceId: number,
  deps: ProvisioningDeps,
  audit: AuditEntry[],
  failed: Map<number, string>,
  lost: AbortSignal,
): Promise<void> {
  const userIds = jobs.flatMap((j) => (j.captiveUserId === undefined ? [] : [j.captiveUserId]));
  const users = new Map((await deps.odoo.captiveUsers(userIds)).map((u) => [u.id, u]));
  // The latest job of a user decides: a disable queued after a create wins.
  const wanted = new Map<number, { disable: boolean }>();
  for (const job of [...jobs].sort((a, b) => a.id - b.id)) {
    if (job.captiveUserId === undefined || !users.has(job.captiveUserId)) {
      failed.set(job.id, 'the captive user no longer exists');
      continue;
    }
    wanted.set(job.captiveUserId, { disable: job.jobType === 'captive_user_disable' });
  }
  const entries = [...wanted.entries()].flatMap(([id, w]) => {
    const user = users.get(id);
    return user === undefined ? [] : [{ user, disable: w.disable }];
  });
  const outcome = await applyCaptiveUsers(client, entries, {
    dryRun: deps.dryRun,
    timeoutMs: deps.routerTimeoutMs,
    signal: lost,
  });
  deps.onRoundTrips?.(deviceId, outcome.roundTrips);
  for (const job of jobs) {
    if (job.captiveUserId === undefined || failed.has(job.id)) continue;
    const error = outcome.failures.get(job.captiveUserId);
    if (error !== undefined) failed.set(job.id, error);
    const user = users.get(job.captiveUserId);
    audit.push({
      action: job.jobType,
      recordModel: 'isp.captive.user',
      recordId: job.captiveUserId,
      deviceId,
      jobId: job.id,
      // Hotspot passwords stay out of the audit log.
      before: outcome.before
        .filter((row) => row['name'] === user?.login)
        .map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => k !== 'password'))),
      after: { login: user?.login, profile: user?.profile, disabled: job.jobType === 'captive_user_disable' },
      result: error !== undefined ? 'failed' : deps.dryRun ? 'dry_run' : 'success',
    });
  }
  if (deps.dryRun) return;
  const settled = (disable: boolean): number[] =>
    [...wanted.entries()]
      .filter(([id, w]) => w.disable === disable && !outcome.failures.has(id))
      .map(([id]) => id);
  await deps.odoo.setCaptiveState(settled(false), 'active');
  await deps.odoo.setCaptiveState(settled(true), 'disabled');
}

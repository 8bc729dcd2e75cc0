import type { Logger } from '@isp/logging';
import type { RouterClient } from '@isp/routeros';
import { PROVISIONING_JOB_QUEUE, provisioningJobQueue, type ProvisioningJobMessage } from '@isp/queue';
import type {
  AuditEntry,
  OdooJob,
  ProvisionerOdoo,
  ProvisioningSubscription,
} from '../adapters/provisioner-odoo';
import type { RouterLocks } from '../adapters/router-lock';
import type { RouterSessions } from '../adapters/router-sessions';
import { applySubscriptions, type ApplyOutcome } from '../domain/apply-subscriptions';
import { errorMessage, failureKind } from '../domain/failure-kind';
import { mapLimit } from '../domain/limit';
import { ProvisionerError } from '../errors';
import { applyCaptiveUsers } from './captive-users';
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

/**
 * Runs a batch of Odoo provisioning jobs: reads them from Odoo (the system of record), groups
 * them by router, and drives each router under its Postgres lock — one read per menu and
 * pipelined writes for all of that router's jobs together. Returns a settlement per message.
 */
export async function handleProvisioningBatch(
  messages: readonly QueuedMessage[],
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
  const settle = (jobIds: readonly number[], settlement: Settlement): void => {
    for (const jobId of jobIds)
      for (const id of messagesByJob.get(jobId) ?? []) settlements.set(id, settlement);
  };

  const jobs = (await deps.odoo.readJobs([...messagesByJob.keys()])).filter(
    // Only work that is still wanted: cancelled, finished or deleted jobs are acknowledged as they are.
    (job) => job.state === 'queued' || job.state === 'running',
  );
  const subscriptionIds = [
    ...new Set(
      jobs.flatMap((j) =>
        SUBSCRIPTION_JOBS.has(j.jobType) && j.subscriptionId !== undefined ? [j.subscriptionId] : [],
      ),
    ),
  ];
  const subscriptions = new Map(
    (await deps.odoo.subscriptions({ ids: subscriptionIds })).map((s) => [s.id, s]),
  );

  const byRouter = new Map<number, OdooJob[]>();
  const routerless: OdooJob[] = [];
  for (const job of jobs) {
    const deviceId =
      job.deviceId ??
      (job.subscriptionId === undefined ? undefined : subscriptions.get(job.subscriptionId)?.deviceId);
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
    const log = deps.logger.child({ deviceId, jobIds: routerJobs.map((j) => j.id) });
    try {
      const retry = await deps.locks.withRouter(deviceId, () =>
        runRouterJobs(deviceId, routerJobs, subscriptions, deps, log),
      );
      settle(retry, 'retry');
    } catch (err) {
      // Lock wait exceeded or Odoo/Postgres failed around the router work: pg-boss retries later.
      log.warn({ err: errorMessage(err) }, 'router jobs deferred');
      settle(
        routerJobs.map((j) => j.id),
        'retry',
      );
    }
  });
  return settlements;
}

/** Drives one router for its jobs; returns the ids of jobs to retry later. */
async function runRouterJobs(
  deviceId: number,
  jobs: readonly OdooJob[],
  subscriptions: ReadonlyMap<number, ProvisioningSubscription>,
  deps: ProvisioningDeps,
  log: Logger,
): Promise<number[]> {
  // A job found `running` was claimed by a worker that died; its attempt is already counted.
  await deps.odoo.markRunning(jobs.filter((j) => j.state === 'queued').map((j) => j.id));
  const attemptsNow = (job: OdooJob): number => (job.state === 'queued' ? job.attempts + 1 : job.attempts);
  try {
    const [credentials] = await deps.odoo.credentials([deviceId]);
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

    const subscriptionJobs = jobs.filter((j) => SUBSCRIPTION_JOBS.has(j.jobType));
    const syncJobs = jobs.filter((j) => j.jobType === 'device_sync');
    const outcomes: { jobs: readonly OdooJob[]; outcome: ApplyOutcome }[] = [];
    if (subscriptionJobs.length > 0) {
      const subs = [
        ...new Map(
          subscriptionJobs.flatMap((j) => {
            const sub = j.subscriptionId === undefined ? undefined : subscriptions.get(j.subscriptionId);
            return sub === undefined ? [] : [[sub.id, sub] as const];
          }),
        ).values(),
      ];
      const outcome = await applySubscriptions(client, subs, {
        scope: 'subscriptions',
        dryRun: deps.dryRun,
        timeoutMs: deps.routerTimeoutMs,
      });
      outcomes.push({ jobs: subscriptionJobs, outcome });
    }
    if (syncJobs.length > 0) {
      const subs = await deps.odoo.subscriptions({ deviceId });
      const outcome = await applySubscriptions(client, subs, {
        scope: 'router',
        dryRun: deps.dryRun,
        timeoutMs: deps.routerTimeoutMs,
      });
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
      await runCaptiveJobs(client, captiveJobs, deviceId, deps, audit, failed);
    }
    await deps.odoo.appendAudit(audit);
    await deps.odoo.reportDeviceStatus(deviceId, health);
    const done = jobs.filter((j) => !failed.has(j.id)).map((j) => j.id);
    await deps.odoo.markDone(done);
    const retry: number[] = [];
    for (const job of jobs.filter((j) => failed.has(j.id))) {
      const final = attemptsNow(job) >= job.maxAttempts;
      await deps.odoo.markFailed([job.id], failed.get(job.id) ?? 'failed', final);
      if (!final) retry.push(job.id);
    }
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

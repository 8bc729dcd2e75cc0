import type { Logger } from '@isp/logging';
import type { AuditEntry, OdooJob, ProvisionerOdoo } from '../adapters/provisioner-odoo';
import type { RouterSessions } from '../adapters/router-sessions';
import type { AuditBacklog } from '../domain/audit-backlog';
import { applyRouterPolicy } from '../domain/apply-router-policy';
import { applySubscriptions, type ApplyOutcome } from '../domain/apply-subscriptions';
import { errorMessage, failureKind } from '../domain/failure-kind';
import { ProvisionerError } from '../errors';
import { runCaptiveJobs } from './captive-jobs';
import { readRouterHealth } from './router-health';

/** What one router pass uses. */
export interface RouterPassDeps {
  readonly odoo: ProvisionerOdoo;
  readonly sessions: RouterSessions;
  readonly dryRun: boolean;
  readonly routerTimeoutMs: number;
  /** Audit rows of earlier passes that Odoo did not take; delivered with the job's next report. */
  readonly auditBacklog?: AuditBacklog;
  /** Each job's outcome and how long its pass took, when the pass settles it (the duration metric). */
  readonly onJobSettled?: (jobType: OdooJob['jobType'], outcome: JobOutcome, seconds: number) => void;
}

/** How a pass left a job: done, failed for good, failed with attempts left, or waiting for the router. */
export type JobOutcome = 'success' | 'failed' | 'retry' | 'waiting';

const SUBSCRIPTION_JOBS = new Set<OdooJob['jobType']>([
  'activate_subscription',
  'suspend_subscription',
  'reconnect_subscription',
  'terminate_subscription',
  'change_plan',
  'update_subscription',
]);

/** Splits `items` into those `test` accepts and the rest, each in its original order. */
function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}

/** The audit row of a job on the router as a whole (drift repair, health check). */
function deviceAudit(
  job: OdooJob,
  deviceId: number,
  change: Pick<AuditEntry, 'before' | 'after' | 'result'>,
): AuditEntry {
  return {
    action: job.jobType,
    recordModel: 'isp.device',
    recordId: deviceId,
    deviceId,
    jobId: job.id,
    ...change,
  };
}

/**
 * One pass over a router, run under its lock: marks the jobs running, reads the credentials and the
 * subscriptions' desired state, brings the router to it (subscriptions, drift repair, health,
 * hotspot users), writes the audit, then settles each job in Odoo — done, failed, or waiting for an
 * unreachable router. Returns the ids of jobs to retry later.
 */
export async function runRouterJobs(
  deviceId: number,
  jobs: readonly OdooJob[],
  deps: RouterPassDeps,
  log: Logger,
  lost: AbortSignal,
): Promise<number[]> {
  const started = performance.now();
  const settled = (group: readonly OdooJob[], outcome: JobOutcome): void => {
    const seconds = (performance.now() - started) / 1000;
    for (const job of group) deps.onJobSettled?.(job.jobType, outcome, seconds);
  };
  const attemptsNow = (job: OdooJob): number => (job.state === 'queued' ? job.attempts + 1 : job.attempts);
  // Sends this pass's audit rows, after those an earlier pass of these jobs could not deliver, along
  // with `alongside` (the device status: one Odoo round trip for both). Rows Odoo did not take are
  // kept for the next pass.
  const deliverAudit = async (rows: readonly AuditEntry[], alongside: () => Promise<void>): Promise<void> => {
    const all = [...(deps.auditBacklog?.take(jobs.map((j) => j.id)) ?? []), ...rows];
    // Called inside then(): a call that throws instead of rejecting still settles here.
    const [sent, other] = await Promise.allSettled([
      all.length > 0 ? Promise.resolve().then(() => deps.odoo.appendAudit(all)) : undefined,
      Promise.resolve().then(alongside),
    ]);
    if (sent.status === 'rejected') {
      deps.auditBacklog?.keep(all);
      throw sent.reason;
    }
    if (other.status === 'rejected') throw other.reason;
  };
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
    const applying = { dryRun: deps.dryRun, timeoutMs: deps.routerTimeoutMs, signal: lost, deviceId };
    // The rules that make `isp-suspended` bite are checked by every drift repair and every
    // suspension: a suspension is only done once they are in place. They touch none of the
    // subscriptions' objects, so they are applied alongside them (settled, never left unhandled).
    const suspending = subscriptionJobs.filter((j) => j.jobType === 'suspend_subscription');
    const policyJobs = [...syncJobs, ...suspending];
    const policyRun = Promise.allSettled(
      policyJobs.length === 0
        ? []
        : [deps.odoo.routerPolicy(deviceId).then((policy) => applyRouterPolicy(client, policy, applying))],
    );
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
        audit.push(
          deviceAudit(job, deviceId, {
            before: { subscriptions: subs.length },
            after: { changes, failures: outcome.failures.length },
            result: outcome.failures.length > 0 ? 'failed' : auditResult(changes),
          }),
        );
        if (outcome.failures.length > 0)
          failed.set(job.id, outcome.failures.map((f) => f.error.message).join('; '));
      }
    }
    for (const { jobs: group, outcome } of outcomes) {
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
          after: result.note === undefined ? result.after : { ...result.after, note: result.note },
          result: result.failures.length > 0 ? 'failed' : auditResult(result.changes),
        });
      }
    }
    const [policy] = await policyRun;
    if (policy?.status === 'rejected') throw policy.reason;
    if (policy !== undefined && policy.value.failures.length > 0) {
      const error = `suspension rules: ${policy.value.failures.map((f) => f.error.message).join('; ')}`;
      for (const job of policyJobs) failed.set(job.id, error);
    }
    let health = { status: 'online' } as Awaited<ReturnType<typeof readRouterHealth>>;
    if (jobs.some((j) => j.jobType === 'device_healthcheck')) {
      health = await readRouterHealth(client, deps.routerTimeoutMs);
      for (const job of jobs.filter((j) => j.jobType === 'device_healthcheck')) {
        audit.push(deviceAudit(job, deviceId, { before: null, after: health, result: 'success' }));
      }
    }
    const captiveJobs = jobs.filter(
      (j) => j.jobType === 'captive_user_create' || j.jobType === 'captive_user_disable',
    );
    if (captiveJobs.length > 0) {
      await runCaptiveJobs(client, captiveJobs, deviceId, deps, audit, failed, lost);
    }
    // The audit is written before any job is marked done: a crash in between repeats the audit, never loses it.
    await deliverAudit(audit, () => deps.odoo.reportDeviceStatus(deviceId, health));
    const done = jobs.filter((j) => !failed.has(j.id));
    await deps.odoo.markDone(done.map((j) => j.id));
    settled(done, 'success');
    const isFinal = (job: OdooJob): boolean => attemptsNow(job) >= job.maxAttempts;
    const [final, retry] = partition(
      jobs.filter((j) => failed.has(j.id)),
      isFinal,
    );
    // One call per distinct error and finality, not one per failed job.
    const failures = new Map<string, { error: string; final: boolean; ids: number[] }>();
    for (const job of [...final, ...retry]) {
      const error = failed.get(job.id) ?? 'failed';
      const key = JSON.stringify([error, isFinal(job)]);
      const entry = failures.get(key) ?? { error, final: isFinal(job), ids: [] };
      entry.ids.push(job.id);
      failures.set(key, entry);
    }
    for (const entry of failures.values()) await deps.odoo.markFailed(entry.ids, entry.error, entry.final);
    settled(final, 'failed');
    settled(retry, 'retry');
    log.info({ done: done.length, failed: failed.size, dryRun: deps.dryRun }, 'router jobs applied');
    return retry.map((j) => j.id);
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
      await deliverAudit([], () => deps.odoo.reportDeviceStatus(deviceId, { status: 'offline' }));
      settled(jobs, 'waiting');
      return jobs.map((j) => j.id);
    }
    log.warn({ err: message }, 'router refused the jobs');
    const [exhausted, retry] = partition(jobs, (job) => attemptsNow(job) >= job.maxAttempts);
    await deps.odoo.markFailed(
      exhausted.map((j) => j.id),
      message,
      true,
    );
    await deps.odoo.markFailed(
      retry.map((j) => j.id),
      message,
      false,
    );
    await deliverAudit([], () => deps.odoo.reportDeviceStatus(deviceId, { status: 'error' }));
    settled(exhausted, 'failed');
    settled(retry, 'retry');
    return retry.map((j) => j.id);
  }
}

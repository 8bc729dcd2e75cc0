import type { Logger } from '@isp/logging';
import type { AuditEntry, OdooJob, ProvisionerOdoo } from '../adapters/provisioner-odoo';
import type { RouterSessions } from '../adapters/router-sessions';
import type { AuditBacklog } from '../domain/audit-backlog';
import { errorMessage, failureKind } from '../domain/failure-kind';
import { ProvisionerError } from '../errors';
import type { JobUnit, PassContext, UnitResult, UnitRun } from './pass-unit';
import { captiveUsersUnit } from './units/captive-users.unit';
import { driftRepairUnit } from './units/drift-repair.unit';
import { healthUnit } from './units/health.unit';
import { routerPolicyUnit } from './units/router-policy.unit';
import { subscriptionsUnit } from './units/subscriptions.unit';

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

/**
 * The job families of a pass, each a unit of its own (immich's job service maps job names to
 * handlers the same way). A job may be in two units (a suspension is a subscription job and needs
 * the router's suspension rules); it fails if any of them fails it.
 */
const UNITS: readonly JobUnit[] = [
  routerPolicyUnit,
  subscriptionsUnit,
  driftRepairUnit,
  healthUnit,
  captiveUsersUnit,
];

/** Splits `items` into those `test` accepts and the rest, each in its original order. */
function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}

/** Runs the units of a pass: concurrent ones alongside the others, the rest one after another. */
async function runUnits(
  runs: readonly { unit: JobUnit; run: UnitRun }[],
  ctx: PassContext,
): Promise<UnitResult[]> {
  // Settled, so a concurrent unit's rejection is never left unhandled while the others run.
  const alongside = Promise.allSettled(
    runs.filter(({ unit }) => unit.concurrent === true).map(({ run }) => run(ctx)),
  );
  const results: UnitResult[] = [];
  for (const { unit, run } of runs) if (unit.concurrent !== true) results.push(await run(ctx));
  for (const settled of await alongside) {
    if (settled.status === 'rejected') throw settled.reason;
    results.push(settled.value);
  }
  return results;
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
  const units = UNITS.flatMap((unit) => {
    const taken = jobs.filter(unit.takes);
    return taken.length === 0 ? [] : [{ unit, jobs: taken }];
  });
  // One Odoo round trip for marking the jobs running, the credentials and every unit's reads.
  const [, [credentials], runs] = await Promise.all([
    // A job found `running` was claimed by a worker that died; its attempt is already counted.
    deps.odoo.markRunning(jobs.filter((j) => j.state === 'queued').map((j) => j.id)),
    deps.odoo.credentials([deviceId]),
    Promise.all(
      units.map(async ({ unit, jobs: taken }) => ({ unit, run: await unit.prepare(taken, deps, deviceId) })),
    ),
  ]);
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
    const results = await runUnits(runs, { client, deviceId, deps, lost });
    const audit = results.flatMap((r) => r.audit);
    const failed = new Map(results.flatMap((r) => [...r.failures]));
    const health = results.find((r) => r.health !== undefined)?.health ?? { status: 'online' };
    // The audit is written before any job is marked done: a crash in between repeats the audit, never loses it.
    await deliverAudit(audit, () => deps.odoo.reportDeviceStatus(deviceId, health));
    const done = jobs.filter((j) => !failed.has(j.id));
    const notes = new Map(results.flatMap((r) => [...(r.notes ?? [])]).filter(([id]) => !failed.has(id)));
    await deps.odoo.markDone(
      done.map((j) => j.id),
      notes,
    );
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

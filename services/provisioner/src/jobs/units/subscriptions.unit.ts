import type { AuditEntry, OdooJob } from '../../adapters/provisioner-odoo';
import { applySubscriptions } from '../../domain/apply-subscriptions';
import type { ResultNote } from '../../domain/desired-state';
import { auditResult, type JobUnit } from '../pass-unit';

const SUBSCRIPTION_JOBS = new Set<OdooJob['jobType']>([
  'activate_subscription',
  'suspend_subscription',
  'reconnect_subscription',
  'terminate_subscription',
  'change_plan',
  'update_subscription',
]);

/**
 * Subscription jobs: the desired state of their subscriptions, read under the router's lock (a
 * pass never applies an older state than the pass before it), brought to the router in one
 * apply; one audit row per job.
 */
export const subscriptionsUnit: JobUnit = {
  name: 'subscriptions',
  takes: (job) => SUBSCRIPTION_JOBS.has(job.jobType),
  async prepare(jobs, deps, deviceId) {
    const ids = [...new Set(jobs.flatMap((j) => (j.subscriptionId === undefined ? [] : [j.subscriptionId])))];
    const subscriptions = new Map((await deps.odoo.subscriptions({ ids })).map((s) => [s.id, s]));
    return async ({ client, lost }) => {
      const outcome = await applySubscriptions(client, [...subscriptions.values()], {
        scope: 'subscriptions',
        deviceId,
        dryRun: deps.dryRun,
        timeoutMs: deps.routerTimeoutMs,
        signal: lost,
      });
      const audit: AuditEntry[] = [];
      const failures = new Map<number, string>();
      const notes = new Map<number, ResultNote>();
      for (const job of jobs) {
        const result =
          job.subscriptionId === undefined ? undefined : outcome.bySubscription.get(job.subscriptionId);
        if (job.subscriptionId === undefined || result === undefined) {
          failures.set(job.id, 'the subscription no longer exists');
          continue;
        }
        if (result.failures.length > 0) failures.set(job.id, result.failures.join('; '));
        else if (result.note !== undefined) notes.set(job.id, result.note);
        audit.push({
          action: job.jobType,
          recordModel: 'isp.subscription',
          recordId: job.subscriptionId,
          deviceId,
          jobId: job.id,
          before: result.before,
          after: result.note === undefined ? result.after : { ...result.after, note: result.note },
          result: result.failures.length > 0 ? 'failed' : auditResult(deps, result.changes),
        });
      }
      return { audit, failures, notes };
    };
  },
};

import { applySubscriptions } from '../../domain/apply-subscriptions';
import { auditResult, deviceAudit, failEach, type JobUnit } from '../pass-unit';

/**
 * `device_sync`: every live subscription of the router brought to its desired state, and the
 * objects of any other subscription (terminated, moved, deleted) removed.
 */
export const driftRepairUnit: JobUnit = {
  name: 'drift repair',
  takes: (job) => job.jobType === 'device_sync',
  prepare(jobs, deps, deviceId) {
    return Promise.resolve(async ({ client, lost }) => {
      const subs = await deps.odoo.subscriptions({ deviceId });
      const outcome = await applySubscriptions(client, subs, {
        scope: 'router',
        deviceId,
        dryRun: deps.dryRun,
        timeoutMs: deps.routerTimeoutMs,
        signal: lost,
      });
      const changes = [...outcome.bySubscription.values()].reduce((n, o) => n + o.changes, 0);
      const failed = outcome.failures.length > 0;
      return {
        audit: jobs.map((job) =>
          deviceAudit(job, deviceId, {
            before: { subscriptions: subs.length },
            after: { changes, failures: outcome.failures.length },
            result: failed ? 'failed' : auditResult(deps, changes),
          }),
        ),
        failures: failed
          ? failEach(jobs, outcome.failures.map((f) => f.error.message).join('; '))
          : new Map(),
      };
    });
  },
};

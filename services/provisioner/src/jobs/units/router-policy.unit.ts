import { applyRouterPolicy } from '../../domain/apply-router-policy';
import { failEach, type JobUnit } from '../pass-unit';

/**
 * The router-wide rules that make `isp-suspended` bite, checked by every drift repair and every
 * suspension: a suspension is only done once they are in place. They touch none of the
 * subscriptions' objects, so they are applied alongside them.
 */
export const routerPolicyUnit: JobUnit = {
  name: 'router policy',
  takes: (job) => job.jobType === 'device_sync' || job.jobType === 'suspend_subscription',
  concurrent: true,
  async prepare(jobs, deps, deviceId) {
    const policy = await deps.odoo.routerPolicy(deviceId);
    return async ({ client, lost }) => {
      const outcome = await applyRouterPolicy(client, policy, {
        dryRun: deps.dryRun,
        timeoutMs: deps.routerTimeoutMs,
        signal: lost,
      });
      return {
        audit: [],
        failures:
          outcome.failures.length === 0
            ? new Map()
            : failEach(jobs, `suspension rules: ${outcome.failures.map((f) => f.error.message).join('; ')}`),
      };
    };
  },
};

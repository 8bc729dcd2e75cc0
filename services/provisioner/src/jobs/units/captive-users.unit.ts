import type { AuditEntry, OdooJob } from '../../adapters/provisioner-odoo';
import { applyCaptiveUsers, type CaptiveAction } from '../captive-users';
import type { JobUnit } from '../pass-unit';

const ACTIONS: Partial<Record<OdooJob['jobType'], CaptiveAction>> = {
  captive_user_create: 'enable',
  captive_user_disable: 'disable',
  captive_user_remove: 'remove',
};
const SETTLED_STATE = { enable: 'active', disable: 'disabled', remove: 'removed' } as const;

/** Hotspot users: created (enabled), disabled or removed on the router, then their state set in Odoo. */
export const captiveUsersUnit: JobUnit = {
  name: 'captive users',
  takes: (job) => ACTIONS[job.jobType] !== undefined,
  async prepare(jobs, deps, deviceId) {
    const userIds = jobs.flatMap((j) => (j.captiveUserId === undefined ? [] : [j.captiveUserId]));
    const users = new Map((await deps.odoo.captiveUsers(userIds)).map((u) => [u.id, u]));
    return async ({ client, lost }) => {
      const failures = new Map<number, string>();
      // The latest job of a user decides: a disable queued after a create wins.
      const wanted = new Map<number, CaptiveAction>();
      for (const job of [...jobs].sort((a, b) => a.id - b.id)) {
        if (job.captiveUserId === undefined || !users.has(job.captiveUserId)) {
          failures.set(job.id, 'the captive user no longer exists');
          continue;
        }
        wanted.set(job.captiveUserId, ACTIONS[job.jobType] ?? 'enable');
      }
      const entries = [...wanted.entries()].flatMap(([id, action]) => {
        const user = users.get(id);
        return user === undefined ? [] : [{ user, action }];
      });
      const outcome = await applyCaptiveUsers(client, entries, {
        dryRun: deps.dryRun,
        timeoutMs: deps.routerTimeoutMs,
        signal: lost,
      });
      const audit: AuditEntry[] = [];
      for (const job of jobs) {
        if (job.captiveUserId === undefined || failures.has(job.id)) continue;
        const error = outcome.failures.get(job.captiveUserId);
        if (error !== undefined) failures.set(job.id, error);
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
          after: {
            login: user?.login,
            profile: user?.profile,
            disabled: job.jobType === 'captive_user_disable',
          },
          result: error !== undefined ? 'failed' : deps.dryRun ? 'dry_run' : 'success',
        });
      }
      if (!deps.dryRun) {
        for (const action of ['enable', 'disable', 'remove'] as const) {
          const ids = [...wanted.entries()]
            .filter(([id, wantedAction]) => wantedAction === action && !outcome.failures.has(id))
            .map(([id]) => id);
          await deps.odoo.setCaptiveState(ids, SETTLED_STATE[action]);
        }
      }
      return { audit, failures };
    };
  },
};

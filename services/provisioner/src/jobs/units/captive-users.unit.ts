import type { AuditEntry } from '../../adapters/provisioner-odoo';
import { applyCaptiveUsers } from '../captive-users';
import type { JobUnit } from '../pass-unit';

/** Hotspot users: created (enabled) or disabled on the router, then their state set in Odoo. */
export const captiveUsersUnit: JobUnit = {
  name: 'captive users',
  takes: (job) => job.jobType === 'captive_user_create' || job.jobType === 'captive_user_disable',
  async prepare(jobs, deps, deviceId) {
    const userIds = jobs.flatMap((j) => (j.captiveUserId === undefined ? [] : [j.captiveUserId]));
    const users = new Map((await deps.odoo.captiveUsers(userIds)).map((u) => [u.id, u]));
    return async ({ client, lost }) => {
      const failures = new Map<number, string>();
      // The latest job of a user decides: a disable queued after a create wins.
      const wanted = new Map<number, { disable: boolean }>();
      for (const job of [...jobs].sort((a, b) => a.id - b.id)) {
        if (job.captiveUserId === undefined || !users.has(job.captiveUserId)) {
          failures.set(job.id, 'the captive user no longer exists');
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
        const settled = (disable: boolean): number[] =>
          [...wanted.entries()]
            .filter(([id, w]) => w.disable === disable && !outcome.failures.has(id))
            .map(([id]) => id);
        await deps.odoo.setCaptiveState(settled(false), 'active');
        await deps.odoo.setCaptiveState(settled(true), 'disabled');
      }
      return { audit, failures };
    };
  },
};

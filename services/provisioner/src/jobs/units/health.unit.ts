import { deviceAudit, type JobUnit } from '../pass-unit';
import { readHotspotSessions } from '../hotspot-sessions';
import { readRouterHealth } from '../router-health';

/**
 * `device_healthcheck`: identity, RouterOS version, board and serial, reported with the device
 * status; and the router's hotspot sessions mirrored into Odoo (who is logged in, since when,
 * how much traffic), so vouchers' use shows there.
 */
export const healthUnit: JobUnit = {
  name: 'health check',
  takes: (job) => job.jobType === 'device_healthcheck',
  prepare(jobs, deps, deviceId) {
    return Promise.resolve(async ({ client }) => {
      const [health, sessions] = await Promise.all([
        readRouterHealth(client, deps.routerTimeoutMs),
        readHotspotSessions(client, deps.routerTimeoutMs),
      ]);
      if (!deps.dryRun) await deps.odoo.syncHotspotSessions(deviceId, sessions);
      return {
        audit: jobs.map((job) =>
          deviceAudit(job, deviceId, {
            before: null,
            after: { ...health, hotspot_sessions: sessions.length },
            result: 'success',
          }),
        ),
        failures: new Map(),
        health,
      };
    });
  },
};

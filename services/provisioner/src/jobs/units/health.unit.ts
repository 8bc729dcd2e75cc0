import { deviceAudit, type JobUnit } from '../pass-unit';
import { readRouterHealth } from '../router-health';

/** `device_healthcheck`: identity, RouterOS version, board and serial, reported with the device status. */
export const healthUnit: JobUnit = {
  name: 'health check',
  takes: (job) => job.jobType === 'device_healthcheck',
  prepare(jobs, deps, deviceId) {
    return Promise.resolve(async ({ client }) => {
      const health = await readRouterHealth(client, deps.routerTimeoutMs);
      return {
        audit: jobs.map((job) =>
          deviceAudit(job, deviceId, { before: null, after: health, result: 'success' }),
        ),
        failures: new Map(),
        health,
      };
    });
  },
};

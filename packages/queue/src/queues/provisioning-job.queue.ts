import { z } from 'zod';
import type { QueueDefinition } from '../queue-definition';

export const PROVISIONING_JOB_QUEUE = 'provisioning.job';

/**
 * "Run Odoo's `isp.provisioning_job` <odooJobId>". The job's content stays in Odoo (the system of
 * record); the worker reads it when it runs, so a stale message cannot apply an outdated state.
 * Nothing else is carried: when it was queued is pg-boss's own `createdOn`. Unknown keys (an
 * `enqueuedAt` from an older sidecar) are dropped when the message is parsed.
 */
export const provisioningJobMessageSchema = z.object({
  odooJobId: z.number().int().positive(),
  /** Who enqueued it: Odoo's after-commit notification or the provisioner's sweeper. */
  source: z.enum(['notify', 'sweeper']),
});

export type ProvisioningJobMessage = z.output<typeof provisioningJobMessageSchema>;

export const provisioningJobQueue: QueueDefinition<typeof provisioningJobMessageSchema> = {
  name: PROVISIONING_JOB_QUEUE,
  schema: provisioningJobMessageSchema,
  deadLetter: `${PROVISIONING_JOB_QUEUE}.dead`,
  options: {
    // One pg-boss job per Odoo job id while it is queued, retrying or active: a notification and the
    // sweeper racing for the same job, or a repeated notification, cannot run it twice concurrently.
    policy: 'exclusive',
    // These retries cover crashes, infrastructure failures and routers that do not answer; business
    // attempts are counted in Odoo (`isp_core.provisioning_max_attempts`). With the 15-minute cap,
    // 500 retries span about five days: a router that is down for hours (Starlink) keeps its jobs
    // here, backing off, instead of sending them to the dead-letter queue every ~50 minutes.
    retryLimit: 500,
    retryDelay: 5,
    retryBackoff: true,
    retryDelayMax: 900,
    expireInSeconds: 900,
    // A worker killed mid-job stops its heartbeat; pg-boss then retries the job within about
    // this long (plus one supervision interval, see boss.ts) instead of waiting for the expiry.
    heartbeatSeconds: 10,
    // Workers wake on LISTEN/NOTIFY instead of waiting for the next poll.
    notify: true,
    retentionSeconds: 14 * 24 * 3600,
  },
  sendOptions: (message) => ({ singletonKey: String(message.odooJobId) }),
};

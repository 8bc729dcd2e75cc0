import { provisioningJobQueue } from '@isp/queue';
import type { FastifyInstance } from 'fastify';
import { errorBodySchema } from '../errors';
import { requireBearer } from '../http/auth';
import type { Enqueuer as Enqueue } from '@isp/queue';

export const JOBS_NOTIFY_PATH = '/v1/jobs/notify';

/** More ids than one transaction of Odoo plausibly creates; a larger list is a client bug. */
export const MAX_NOTIFIED_JOBS = 1_000;

export const jobsNotifyBodySchema = {
  type: 'object',
  required: ['job_ids'],
  properties: {
    job_ids: {
      type: 'array',
      maxItems: MAX_NOTIFIED_JOBS,
      items: { type: 'integer', minimum: 1, maximum: 2_147_483_647 },
      description: 'ids of isp.provisioning_job records that were just queued',
    },
  },
} as const;

const notifiedSchema = {
  type: 'object',
  required: ['queued', 'duplicates'],
  properties: { queued: { type: 'integer' }, duplicates: { type: 'integer' } },
} as const;

export interface JobsNotifyRouteOptions {
  readonly sidecarToken: string;
  readonly enqueue: Enqueue;
}

/** `POST /v1/jobs/notify` from Odoo after commit: one pg-boss job per Odoo job id, keyed by that id. */
export function jobsNotifyRoute(app: FastifyInstance, options: JobsNotifyRouteOptions): void {
  app.post<{ Body: { job_ids: number[] } }>(
    JOBS_NOTIFY_PATH,
    {
      bodyLimit: 64 * 1024,
      onRequest: requireBearer(options.sidecarToken),
      schema: {
        summary: 'Tell the sidecars that Odoo queued provisioning jobs',
        description:
          'Best effort from Odoo; the provisioner’s sweeper picks up any job a lost notification missed.',
        tags: ['odoo'],
        security: [{ sidecarToken: [] }],
        body: jobsNotifyBodySchema,
        response: { 202: notifiedSchema, '4xx': errorBodySchema, '5xx': errorBodySchema },
      },
    },
    async (request, reply) => {
      // All ids at once, so a batching enqueuer writes them in one INSERT.
      const results = await Promise.all(
        [...new Set(request.body.job_ids)].map((odooJobId) =>
          options.enqueue(provisioningJobQueue, { odooJobId, source: 'notify' }),
        ),
      );
      const duplicates = results.filter((r) => r.duplicate).length;
      const queued = results.length - duplicates;
      return reply.code(202).send({ queued, duplicates });
    },
  );
}

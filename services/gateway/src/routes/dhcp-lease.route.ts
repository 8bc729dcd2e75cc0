import { dhcpLeaseQueue } from '@isp/queue';
import type { FastifyInstance } from 'fastify';
import { toLeaseEvent, type LeaseBody } from '../domain/lease-event';
import { errorBodySchema, GatewayError } from '../errors';
import { requireBearer } from '../http/auth';
import type { Enqueuer as Enqueue } from '@isp/queue';

export const DHCP_LEASE_PATH = '/v1/dhcp/lease';
/** The contract's limit for a lease post. */
export const DHCP_LEASE_BODY_LIMIT = 4 * 1024;

const IPV4 = '^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$';

export const dhcpLeaseBodySchema = {
  type: 'object',
  required: ['mac', 'ip', 'bound', 'router'],
  properties: {
    mac: {
      type: 'string',
      maxLength: 32,
      description: 'AA:BB:CC:DD:EE:FF, aa-bb-…, aabb.ccdd.eeff or bare hex',
    },
    ip: { type: 'string', maxLength: 15, pattern: IPV4 },
    bound: {
      description: 'true when the lease was bound, false when released (RouterOS "1"/"0" accepted)',
      anyOf: [{ type: 'boolean' }, { enum: [0, 1, '0', '1', 'true', 'false'] }],
    },
    server: { type: 'string', maxLength: 64 },
    hostname: { type: 'string', maxLength: 255 },
    router: { type: 'string', minLength: 1, maxLength: 128, description: 'identity or serial of the router' },
    serial: {
      type: 'string',
      maxLength: 64,
      description: 'RouterBOARD serial number (`/system routerboard`); empty or absent on CHR/x86',
    },
  },
} as const;

const acceptedSchema = {
  type: 'object',
  required: ['accepted', 'duplicate'],
  properties: { accepted: { type: 'boolean' }, duplicate: { type: 'boolean' } },
} as const;

export interface DhcpLeaseRouteOptions {
  readonly macToken: string;
  readonly rateLimitPerMinute: number;
  readonly enqueue: Enqueue;
  readonly now: () => Date;
}

/** `POST /v1/dhcp/lease` from the routers' lease-script: check, normalise, queue durably, answer 202. */
export function dhcpLeaseRoute(app: FastifyInstance, options: DhcpLeaseRouteOptions): void {
  app.post<{ Body: LeaseBody }>(
    DHCP_LEASE_PATH,
    {
      bodyLimit: DHCP_LEASE_BODY_LIMIT,
      onRequest: requireBearer(options.macToken),
      config: {
        rateLimit: {
          max: options.rateLimitPerMinute,
          timeWindow: 60_000,
          // After auth and validation, so the budget is per router and strangers cannot spend it.
          hook: 'preHandler',
          keyGenerator: (request) => {
            const body = request.body as Partial<LeaseBody> | undefined;
            return typeof body?.router === 'string' ? `router:${body.router.trim()}` : `ip:${request.ip}`;
          },
        },
      },
      schema: {
        summary: 'Report a DHCP lease from a router',
        description: 'Answers 202 once the event is durably queued; repeats within a minute are stored once.',
        tags: ['routers'],
        security: [{ macToken: [] }],
        body: dhcpLeaseBodySchema,
        response: { 202: acceptedSchema, '4xx': errorBodySchema, '5xx': errorBodySchema },
      },
    },
    async (request, reply) => {
      const result = toLeaseEvent(request.body, options.now());
      if (!result.ok) throw new GatewayError('ISP_ERR_GATEWAY_BAD_REQUEST', result.message);
      const { duplicate } = await options.enqueue(dhcpLeaseQueue, result.event);
      return reply.code(202).send({ accepted: true, duplicate });
    },
  );
}

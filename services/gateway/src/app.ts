import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Logger } from '@isp/logging';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { GatewayConfig } from './config';
import { GatewayError, type ErrorBody } from './errors';
import { errorHandler } from './http/error-handler';
import { collectOpenApi } from './http/openapi';
import { lazyRequestLogger } from './http/lazy-request-logger';
import { trackRequests } from './http/request-metrics';
import { dhcpLeaseRoute } from './routes/dhcp-lease.route';
import { healthRoute, type ReadinessCheck } from './routes/health.route';
import { jobsNotifyRoute } from './routes/jobs-notify.route';
import { metricsRoute } from './routes/metrics.route';
import type { Enqueuer as Enqueue } from '@isp/queue';

export interface GatewayDeps {
  readonly config: Pick<GatewayConfig, 'macToken' | 'sidecarToken' | 'rateLimitPerMinute'>;
  readonly logger: Logger;
  readonly enqueue: Enqueue;
  /** Named checks for /readyz (`postgres`, `odoo`). */
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  readonly metrics: Registry;
  /**
   * Where the per-router budgets are counted: main.ts passes `createSharedRateLimit(…).store`, which
   * holds across replicas; without one, each process counts in its own memory.
   */
  readonly rateLimitStore?: FastifyRateLimitStoreCtor;
  readonly now?: () => Date;
  readonly readinessTimeoutMs?: number;
}

/** The gateway's HTTP application. It never listens: main.ts does, tests use `inject()`. */
export async function buildApp(deps: GatewayDeps): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance: logger,
    // Per-request lines at info would drown the log under lease storms; errors are logged by the handler.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: 64 * 1024,
    // Validate exactly what the contract says: no silent coercion of "123" into 123 or of extra keys.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });
  const now = deps.now ?? (() => new Date());

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((_request, reply) => {
    const error = new GatewayError('ISP_ERR_GATEWAY_NOT_FOUND');
    const body: ErrorBody = { statusCode: error.statusCode, code: error.code, message: error.message };
    return reply.code(error.statusCode).send(body);
  });
  trackRequests(app, deps.metrics);
  const openApi = collectOpenApi(app, { title: 'ISP gateway', version: '1' });

  await app.register(rateLimit, {
    global: false,
    ...(deps.rateLimitStore === undefined ? {} : { store: deps.rateLimitStore }),
    errorResponseBuilder: () => new GatewayError('ISP_ERR_GATEWAY_RATE_LIMITED'),
  });

  dhcpLeaseRoute(app, {
    macToken: deps.config.macToken,
    rateLimitPerMinute: deps.config.rateLimitPerMinute,
    enqueue: deps.enqueue,
    now,
  });
  jobsNotifyRoute(app, { sidecarToken: deps.config.sidecarToken, enqueue: deps.enqueue });
  healthRoute(app, { checks: deps.readiness, checkTimeoutMs: deps.readinessTimeoutMs ?? 3_000 });
  metricsRoute(app, deps.metrics);
  app.get(
    '/openapi.json',
    { schema: { summary: 'This description', tags: ['operations'] } },
    (_request, reply) => reply.send(openApi()),
  );
  return app;
}

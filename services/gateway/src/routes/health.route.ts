import type { FastifyInstance } from 'fastify';

/** A named dependency check for /readyz; it throws when the dependency is not usable. */
export type ReadinessCheck = (signal: AbortSignal) => Promise<void>;

export interface HealthRouteOptions {
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
  readonly checkTimeoutMs: number;
}

const statusSchema = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string' },
    checks: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const;

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    await Promise.race([
      check(signal),
      new Promise<never>((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          reject(new Error(`no answer within ${timeoutMs} ms`));
        });
      }),
    ]);
    return 'ok';
  } catch (err) {
    return err instanceof Error ? `failed: ${err.message}` : 'failed';
  }
}

/** `/healthz`: the process answers. `/readyz`: Postgres and Odoo answer too, so traffic may come. */
export function healthRoute(app: FastifyInstance, options: HealthRouteOptions): void {
  app.get(
    '/healthz',
    { schema: { summary: 'Liveness', tags: ['operations'], response: { 200: statusSchema } } },
    (_request, reply) => reply.send({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: Postgres (the queue) and Odoo reachable',
        tags: ['operations'],
        response: { 200: statusSchema, 503: statusSchema },
      },
    },
    async (_request, reply) => {
      const entries = Object.entries(options.checks);
      const results = await Promise.all(entries.map(([, check]) => runCheck(check, options.checkTimeoutMs)));
      const checks = Object.fromEntries(entries.map(([name], i) => [name, results[i] ?? 'failed']));
      const ready = results.every((r) => r === 'ok');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
    },
  );
}

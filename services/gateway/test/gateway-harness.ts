import { createLogger } from '@isp/logging';
import type { PgBoss } from '@isp/queue';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import type { SharedRateLimit } from '../src/http/shared-rate-limit';
import { createGatewayRuntime } from '../src/runtime';

export const MAC_TOKEN = 'mac-token-for-tests-0123456789';
export const SIDECAR_TOKEN = 'sidecar-token-for-tests-0123456789';

export interface Harness {
  readonly app: FastifyInstance;
  readonly boss: PgBoss;
  /** The per-router budgets, shared through Postgres as in production (synced by the test). */
  readonly rateLimit: SharedRateLimit;
  /** Flip to make the fake Odoo readiness check fail. */
  odooUp: boolean;
  jobCount(queue?: string): Promise<number>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly rateLimitPerMinute?: number;
  /** The rate limiter's clock (ms), so a test does not straddle a window. */
  readonly now?: () => number;
  /** Where the gateway's pg-boss connects (a proxy a test can cut); the test's own counts use `databaseUrl`. */
  readonly queueUrl?: string;
}

/** The gateway as main.ts builds it (`createGatewayRuntime`) on a real pg-boss, answering through `inject()`. */
export async function startHarness(databaseUrl: string, options: HarnessOptions = {}): Promise<Harness> {
  const runtime = await createGatewayRuntime({
    databaseUrl: options.queueUrl ?? databaseUrl,
    logger: createLogger({ name: 'gateway-test', level: 'silent' }),
    applicationName: 'isp-gateway-test',
    bossExtra: { supervise: false },
    config: {
      macToken: MAC_TOKEN,
      sidecarToken: SIDECAR_TOKEN,
      rateLimitPerMinute: options.rateLimitPerMinute ?? 1_000_000,
    },
    odooReady: () => (harness.odooUp ? Promise.resolve() : Promise.reject(new Error('connect ECONNREFUSED'))),
    // Synced only when a test asks, so what a replica knows of the others is up to the test.
    rateLimit: { syncIntervalMs: 3_600_000, ...(options.now === undefined ? {} : { now: options.now }) },
  });
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  const harness: Harness = {
    app: runtime.app,
    boss: runtime.boss,
    rateLimit: runtime.rateLimit,
    odooUp: true,
    async jobCount(queue) {
      const { rows } = await sql.query<{ n: string }>(
        queue === undefined
          ? 'SELECT count(*) AS n FROM pgboss.job'
          : 'SELECT count(*) AS n FROM pgboss.job WHERE name = $1',
        queue === undefined ? [] : [queue],
      );
      return Number(rows[0]?.n);
    },
    async close() {
      await runtime.close({ graceful: false });
      await sql.end();
    },
  };
  return harness;
}

import { connectionFromOdooEnv, odooEnvSchema, type OdooConnection } from '@isp/odoo-client';
import { z } from 'zod';
import { ProvisionerError } from './errors';

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const provisionerEnvSchema = z
  .object({
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PROVISIONER_DRY_RUN: flag.default(false),
    PROVISIONER_HEALTH_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
    PROVISIONER_HEALTH_HOST: z.string().min(1).default('127.0.0.1'),
    /** Jobs one worker takes per fetch; jobs of one router in a batch share its round trips. */
    PROVISIONER_BATCH_SIZE: z.coerce.number().int().min(1).max(2000).default(200),
    /** Batches processed at once in this process (different routers run in parallel). */
    PROVISIONER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    PROVISIONER_SWEEP_SECONDS: z.coerce.number().min(1).max(3600).default(5),
    /** Lease events sent to Odoo per register_leases call. */
    PROVISIONER_LEASE_BATCH: z.coerce.number().int().min(1).max(1000).default(250),
    PROVISIONER_ROUTER_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
    /** How long a worker waits for another replica to release a router before retrying later. */
    PROVISIONER_LOCK_WAIT_MS: z.coerce.number().int().min(0).max(600_000).default(60_000),
  })
  .and(odooEnvSchema);

export interface ProvisionerConfig {
  readonly databaseUrl: string;
  readonly logLevel: string;
  readonly dryRun: boolean;
  readonly healthPort: number;
  readonly healthHost: string;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly sweepSeconds: number;
  readonly leaseBatch: number;
  readonly routerTimeoutMs: number;
  readonly lockWaitMs: number;
  readonly odoo: OdooConnection;
}

/** Validates the whole environment once; throws one error naming every problem. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): ProvisionerConfig {
  const parsed = provisionerEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`)
      .join('; ');
    throw new ProvisionerError('ISP_ERR_PROVISIONER_CONFIG', `invalid provisioner environment: ${problems}`);
  }
  const e = parsed.data;
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    dryRun: e.PROVISIONER_DRY_RUN,
    healthPort: e.PROVISIONER_HEALTH_PORT,
    healthHost: e.PROVISIONER_HEALTH_HOST,
    batchSize: e.PROVISIONER_BATCH_SIZE,
    concurrency: e.PROVISIONER_CONCURRENCY,
    sweepSeconds: e.PROVISIONER_SWEEP_SECONDS,
    leaseBatch: e.PROVISIONER_LEASE_BATCH,
    routerTimeoutMs: e.PROVISIONER_ROUTER_TIMEOUT_MS,
    lockWaitMs: e.PROVISIONER_LOCK_WAIT_MS,
    odoo: connectionFromOdooEnv(e),
  });
}

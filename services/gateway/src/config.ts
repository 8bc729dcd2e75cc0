import { connectionFromOdooEnv, odooEnvSchema, type OdooConnection } from '@isp/odoo-client';
import { z } from 'zod';
import { GatewayError } from './errors';

// Tokens are compared in constant time, but a short one is guessable all the same.
const token = z.string().min(16, 'must be at least 16 characters');

// Compose passes an unset optional variable as an empty string.
const unsetWhenEmpty = (value: unknown): unknown => (value === '' ? undefined : value);

const gatewayEnvSchema = z
  .object({
    ISP_MAC_TOKEN: token,
    ISP_SIDECAR_TOKEN: token,
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
    GATEWAY_PORT: z.coerce.number().int().min(1).max(65_535).default(8088),
    GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
    /** Lease posts one router may make per minute before it gets 429. */
    GATEWAY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Where suspended customers' plain HTTP is sent (the portal's notice page); with the port, the notice server runs. */
    GATEWAY_NOTICE_URL: z.preprocess(
      unsetWhenEmpty,
      z
        .url({
          protocol: /^https?$/,
          error: 'must be an http(s) URL, e.g. https://portal.example.net/isp/suspended',
        })
        .optional(),
    ),
    GATEWAY_NOTICE_PORT: z.preprocess(unsetWhenEmpty, z.coerce.number().int().min(1).max(65_535).optional()),
  })
  .and(odooEnvSchema)
  .refine((e) => (e.GATEWAY_NOTICE_URL === undefined) === (e.GATEWAY_NOTICE_PORT === undefined), {
    message: 'GATEWAY_NOTICE_URL and GATEWAY_NOTICE_PORT go together',
    path: ['GATEWAY_NOTICE_PORT'],
  })
  .refine((e) => e.ISP_MAC_TOKEN !== e.ISP_SIDECAR_TOKEN, {
    message: 'must differ from ISP_MAC_TOKEN (routers must not be able to trigger provisioning)',
    path: ['ISP_SIDECAR_TOKEN'],
  });

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  readonly macToken: string;
  readonly sidecarToken: string;
  readonly databaseUrl: string;
  readonly rateLimitPerMinute: number;
  readonly logLevel: string;
  readonly odoo: OdooConnection;
  /** The suspension notice server: every request it gets is redirected to `url`. */
  readonly notice?: { readonly port: number; readonly url: string };
}

/** Validates the whole environment once; throws one error naming every problem. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): GatewayConfig {
  const parsed = gatewayEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => {
        const missing = i.code === 'invalid_type' && i.message.endsWith('received undefined');
        return `${i.path.join('.') || '(env)'}: ${missing ? 'is required' : i.message}`;
      })
      .join('; ');
    throw new GatewayError('ISP_ERR_GATEWAY_CONFIG', `invalid gateway environment: ${problems}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.GATEWAY_PORT,
    host: e.GATEWAY_HOST,
    macToken: e.ISP_MAC_TOKEN,
    sidecarToken: e.ISP_SIDECAR_TOKEN,
    databaseUrl: e.DATABASE_URL,
    rateLimitPerMinute: e.GATEWAY_RATE_LIMIT_PER_MINUTE,
    logLevel: e.LOG_LEVEL,
    odoo: connectionFromOdooEnv(e),
    ...(e.GATEWAY_NOTICE_URL === undefined || e.GATEWAY_NOTICE_PORT === undefined
      ? {}
      : { notice: { port: e.GATEWAY_NOTICE_PORT, url: e.GATEWAY_NOTICE_URL } }),
  });
}

import { z } from 'zod';
import { OdooError } from './errors';

/** How to reach Odoo. `secret` is the API key (or, for XML-RPC only, the password). */
export const odooConnectionSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')),
    db: z.string().min(1),
    login: z.string().min(1),
    secret: z.string().min(1),
    protocol: z.enum(['xmlrpc', 'json2']),
    /** Per-call deadline, in milliseconds. */
    timeoutMs: z.number().int().positive().default(30_000),
    /** Retries after the first attempt, for network failures only. */
    retries: z.number().int().min(0).default(3),
    retryBaseDelayMs: z.number().int().positive().default(200),
    retryMaxDelayMs: z.number().int().positive().default(5_000),
    maxSockets: z.number().int().positive().default(16),
  })
  .readonly();

export type OdooConnectionInput = z.input<typeof odooConnectionSchema>;
export type OdooConnection = z.output<typeof odooConnectionSchema>;

// The contract's environment names (contract.md, "Environment of the sidecars").
const odooEnvSchema = z
  .object({
    ODOO_URL: z.string().min(1),
    ODOO_DB: z.string().min(1),
    ODOO_USER: z.string().min(1),
    ODOO_API_KEY: z.string().min(1).optional(),
    ODOO_PASSWORD: z.string().min(1).optional(),
    ODOO_PROTOCOL: z.enum(['xmlrpc', 'json2']).default('json2'),
    ODOO_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
  })
  .refine((e) => e.ODOO_API_KEY !== undefined || e.ODOO_PASSWORD !== undefined, {
    message: 'set ODOO_API_KEY (or ODOO_PASSWORD for xmlrpc)',
    path: ['ODOO_API_KEY'],
  })
  .refine((e) => e.ODOO_PROTOCOL !== 'json2' || e.ODOO_API_KEY !== undefined, {
    message: 'ODOO_PROTOCOL=json2 authenticates with a bearer API key: set ODOO_API_KEY',
    path: ['ODOO_API_KEY'],
  });

/** The env schema, for services that validate their whole environment in one place. */
export { odooEnvSchema };

/** Reads the connection from the environment; throws one readable `ISP_ERR_ODOO_CONFIG` error. */
export function odooConnectionFromEnv(env: Readonly<Record<string, string | undefined>>): OdooConnection {
  const parsed = odooEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new OdooError('ISP_ERR_ODOO_CONFIG', { message: `invalid Odoo configuration: ${problems}` });
  }
  return connectionFromOdooEnv(parsed.data);
}

export function connectionFromOdooEnv(env: z.output<typeof odooEnvSchema>): OdooConnection {
  const result = odooConnectionSchema.safeParse({
    url: env.ODOO_URL,
    db: env.ODOO_DB,
    login: env.ODOO_USER,
    secret: env.ODOO_API_KEY ?? env.ODOO_PASSWORD,
    protocol: env.ODOO_PROTOCOL,
    timeoutMs: env.ODOO_TIMEOUT_MS,
  });
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new OdooError('ISP_ERR_ODOO_CONFIG', { message: `invalid Odoo configuration: ${problems}` });
  }
  return result.data;
}

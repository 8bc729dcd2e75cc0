import { resolve } from 'node:path';
import { z } from 'zod';

const schema = z.object({
  ODOO_DEV_DB: z
    .string()
    .regex(/^[a-z0-9_]+$/)
    .default('isp_dev'),
  ODOO_DEV_PORT: z.coerce.number().int().min(1).max(65535).default(8069),
  GATEWAY_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  ISP_MAC_TOKEN: z.string().min(16).default('dev-router-webhook-token'),
  ISP_SIDECAR_TOKEN: z.string().min(16).default('dev-odoo-notify-token'),
  LAB_HOST: z.ipv4().default('127.0.0.10'),
  LAB_ROUTERS: z.coerce.number().int().min(1).max(200).default(3),
  LAB_VERSION: z.string().default('7.20'),
  LAB_CONTROL_PORT: z.coerce.number().int().min(1).max(65535).default(8730),
  LAB_ROUTER_PASSWORD: z.string().min(1).default('lab-router-pw'),
  LAB_LEASE_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(1000),
  ISP_DEMO_PORTAL_PASSWORD: z.string().min(8).default('portal-demo'),
  QUEUE_DB: z
    .string()
    .regex(/^[a-z0-9_]+$/)
    .default('isp_dev_queue'),
});

export interface DevConfig {
  readonly odooDb: string;
  readonly odooPort: number;
  readonly gatewayPort: number;
  readonly macToken: string;
  readonly sidecarToken: string;
  readonly labHost: string;
  readonly labRouters: number;
  readonly labVersion: string;
  readonly labControlPort: number;
  readonly labRouterPassword: string;
  readonly leaseIntervalMs: number;
  readonly portalPassword: string;
  readonly queueDb: string;
  readonly stateDir: string;
}

/** `pnpm dev` settings: everything has a local default; the environment overrides. */
export function loadDevConfig(env: NodeJS.ProcessEnv, root: string): DevConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `pnpm dev: bad environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const e = parsed.data;
  return Object.freeze({
    odooDb: e.ODOO_DEV_DB,
    odooPort: e.ODOO_DEV_PORT,
    gatewayPort: e.GATEWAY_PORT,
    macToken: e.ISP_MAC_TOKEN,
    sidecarToken: e.ISP_SIDECAR_TOKEN,
    labHost: e.LAB_HOST,
    labRouters: e.LAB_ROUTERS,
    labVersion: e.LAB_VERSION,
    labControlPort: e.LAB_CONTROL_PORT,
    labRouterPassword: e.LAB_ROUTER_PASSWORD,
    leaseIntervalMs: e.LAB_LEASE_INTERVAL_MS,
    portalPassword: e.ISP_DEMO_PORTAL_PASSWORD,
    queueDb: e.QUEUE_DB,
    stateDir: resolve(root, '.dev'),
  });
}

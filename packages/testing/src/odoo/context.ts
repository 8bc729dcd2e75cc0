import { z } from 'zod';
import { odooFixtureSchema } from './fixtures';

/** What an `*.odoo.test.ts` file receives: a running Odoo 19 with every project addon installed. */
export const odooTestContextSchema = odooFixtureSchema.extend({
  url: z.url(),
  db: z.string(),
});
export type OdooTestContext = z.infer<typeof odooTestContextSchema>;

export const ODOO_CONTEXT_ENV = 'ISP_ODOO_TEST_CONTEXT';

/** The running test Odoo, handed over by scripts/test or the odoo project's global setup. */
export function odooTestContext(): OdooTestContext {
  const raw = process.env[ODOO_CONTEXT_ENV];
  if (raw === undefined || raw === '') {
    throw new Error(
      `${ODOO_CONTEXT_ENV} is not set: run Odoo-tier tests through \`pnpm test\` or \`vitest --project odoo\``,
    );
  }
  return odooTestContextSchema.parse(JSON.parse(raw));
}

/** How to log in as the test Odoo's admin (password over XML-RPC: the admin has no API key). */
export function adminConnection(ctx: OdooTestContext): {
  url: string;
  db: string;
  login: string;
  secret: string;
  protocol: 'xmlrpc';
} {
  return { url: ctx.url, db: ctx.db, login: ctx.admin.login, secret: ctx.admin.password, protocol: 'xmlrpc' };
}

/** How the sidecars log in: the service user's API key over JSON-2. */
export function sidecarConnection(ctx: OdooTestContext): {
  url: string;
  db: string;
  login: string;
  secret: string;
  protocol: 'json2';
} {
  return {
    url: ctx.url,
    db: ctx.db,
    login: ctx.sidecar.login,
    secret: ctx.sidecar.apiKey,
    protocol: 'json2',
  };
}

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

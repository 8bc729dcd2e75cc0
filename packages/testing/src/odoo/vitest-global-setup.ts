import { ODOO_CONTEXT_ENV } from './context';
import { dropOdooTestDatabase } from './instance';
import { findOdoo } from './locate';
import { odooErrorLines } from './test-report';
import { freshOdooDatabase, installProjectAddons, serveForTests } from './stack';

/**
 * Global setup of the vitest `odoo` project when it is run on its own: installs the project's
 * addons in a throwaway database and serves it. `pnpm test` hands over the Odoo it already has
 * (ISP_ODOO_TEST_CONTEXT set), in which case this does nothing.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env[ODOO_CONTEXT_ENV] !== undefined) return undefined;
  const odoo = await findOdoo();
  if (odoo === undefined) throw new Error('Odoo tier: no Odoo 19 found (set ODOO_HOME or put odoo on PATH)');
  const db = await freshOdooDatabase('vitest');
  let running;
  try {
    const install = await installProjectAddons(odoo, db, false);
    if (install.exitCode !== 0) {
      throw new Error(`installing the addons failed:\n${odooErrorLines(install.log).join('\n')}`);
    }
    running = await serveForTests(odoo, db);
  } catch (err) {
    await dropOdooTestDatabase(db);
    throw err;
  }
  process.env[ODOO_CONTEXT_ENV] = JSON.stringify(running.context);
  return async () => {
    await running.stop();
    await dropOdooTestDatabase(db);
  };
}

import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectAddons, TEST_SUPPORT_ADDONS } from './addons';
import { ensureOdooRole } from './connection';
import { ODOO_CONTEXT_ENV, odooTestContext, type OdooTestContext } from './context';
import { createOdooFixture } from './fixtures';
import {
  dropOdooTestDatabase,
  installAddons,
  newOdooTestDatabase,
  startOdooServer,
  type OdooTestDatabase,
} from './instance';
import { findOdoo, type OdooCommand } from './locate';
import type { OdooRun } from './run-odoo';

export const ODOO_WORK_ROOT = resolve(import.meta.dirname, '../../../../.odoo-tier');

/** A fresh, uniquely named Odoo database for this run (role ensured, work folder created). */
export async function freshOdooDatabase(label: string): Promise<OdooTestDatabase> {
  const conn = await ensureOdooRole();
  const name = `isp_odoo_${label}_${randomBytes(4).toString('hex')}`;
  const workDir = join(ODOO_WORK_ROOT, name);
  mkdirSync(workDir, { recursive: true });
  return newOdooTestDatabase(conn, workDir, name);
}

/**
 * Installs every project addon, running their Odoo tests when `withTests` (then with the
 * test-support addons beside them).
 */
export function installProjectAddons(
  odoo: OdooCommand,
  db: OdooTestDatabase,
  withTests: boolean,
): Promise<OdooRun> {
  const addons = projectAddons();
  const testTags = withTests ? addons.map((a) => `/${a}`).join(',') : undefined;
  const installed = withTests && addons.length > 0 ? [...addons, ...TEST_SUPPORT_ADDONS] : addons;
  return installAddons(odoo, db, installed.length > 0 ? installed : ['base'], {
    logFile: join(db.workDir, withTests ? 'install-and-test.log' : 'install.log'),
    ...(testTags === undefined || testTags === '' ? {} : { testTags }),
  });
}

export interface RunningOdoo {
  readonly context: OdooTestContext;
  stop(): Promise<void>;
}

/** Serves an installed database for the TypeScript Odoo tier: fixture users, then the HTTP server. */
export async function serveForTests(odoo: OdooCommand, db: OdooTestDatabase): Promise<RunningOdoo> {
  const fixture = await createOdooFixture(odoo, db);
  const server = await startOdooServer(odoo, db, join(db.workDir, 'server.log'));
  return { context: { ...fixture, url: server.url, db: db.name }, stop: () => server.stop() };
}

/**
 * The Odoo a bench script measures against: the running test Odoo named by `ISP_ODOO_TEST_CONTEXT`
 * when there is one, else a throwaway database with `addons` installed (a comma list;
 * `ISP_ODOO_ADDONS` overrides it), served until `stop()`, which also drops the database.
 */
export async function startBenchOdoo(addons: string): Promise<RunningOdoo> {
  if (process.env[ODOO_CONTEXT_ENV] !== undefined) {
    return { context: odooTestContext(), stop: async () => {} };
  }
  const odoo = await findOdoo();
  if (odoo === undefined) throw new Error('needs Odoo 19: set ODOO_HOME or put odoo on PATH');
  process.env['ISP_ODOO_ADDONS'] ??= addons;
  const db = await freshOdooDatabase('bench');
  const install = await installProjectAddons(odoo, db, false);
  if (install.exitCode !== 0) {
    await dropOdooTestDatabase(db);
    throw new Error(`installing the addons failed (log: ${join(db.workDir, 'install.log')})`);
  }
  const running = await serveForTests(odoo, db);
  return {
    context: running.context,
    stop: async () => {
      await running.stop();
      await dropOdooTestDatabase(db);
    },
  };
}

export { dropOdooTestDatabase };

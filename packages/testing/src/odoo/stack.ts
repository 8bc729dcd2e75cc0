import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectAddons, TEST_SUPPORT_ADDONS } from './addons';
import { ensureOdooRole } from './connection';
import type { OdooTestContext } from './context';
import { createOdooFixture } from './fixtures';
import {
  dropOdooTestDatabase,
  installAddons,
  newOdooTestDatabase,
  startOdooServer,
  type OdooTestDatabase,
} from './instance';
import type { OdooCommand } from './locate';
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

export { dropOdooTestDatabase };

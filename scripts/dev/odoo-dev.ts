import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import {
  createOdooFixture,
  ensureOdooRole,
  findOdoo,
  installAddons,
  newOdooTestDatabase,
  odooErrorLines,
  projectAddons,
  resolvePostgres,
  runOdooShell,
  startOdooServer,
  type OdooFixture,
} from '@isp/testing';
import type { DevConfig } from './dev-config';

export interface DevOdoo {
  readonly url: string;
  readonly fixture: OdooFixture;
  stop(): Promise<void>;
}

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: (await resolvePostgres()).adminUrl });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

const pyString = (value: string): string => JSON.stringify(value);

/** Odoo for local development: the database is created and the addons installed on first run. */
export async function startDevOdoo(config: DevConfig): Promise<DevOdoo> {
  const odoo = await findOdoo();
  if (odoo === undefined)
    throw new Error('pnpm dev needs Odoo 19: set ODOO_HOME or put an odoo executable on PATH');
  const workDir = join(config.stateDir, 'odoo');
  mkdirSync(workDir, { recursive: true });
  const db = newOdooTestDatabase(await ensureOdooRole(), workDir, config.odooDb);
  const fixtureFile = join(workDir, 'fixture.json');

  if (!(await databaseExists(config.odooDb))) {
    const addons = projectAddons();
    process.stdout.write(
      `odoo        │ first run: creating ${config.odooDb} and installing ${addons.join(', ')}\n`,
    );
    const run = await installAddons(odoo, db, addons, { logFile: join(workDir, 'install.log') });
    if (run.exitCode !== 0)
      throw new Error(`installing the addons failed:\n${odooErrorLines(run.log).join('\n')}`);
  }
  let fixture: OdooFixture;
  if (existsSync(fixtureFile)) {
    fixture = JSON.parse(readFileSync(fixtureFile, 'utf8')) as OdooFixture;
  } else {
    fixture = await createOdooFixture(odoo, db);
    writeFileSync(fixtureFile, JSON.stringify(fixture, null, 2), { mode: 0o600 });
  }
  // Point Odoo at this machine's gateway and share the tokens with it on every start, so a
  // changed GATEWAY_PORT or token takes effect.
  const params = `
params = env['ir.config_parameter'].sudo()
params.set_param('isp_core.sidecar_url', ${pyString(`http://127.0.0.1:${config.gatewayPort}`)})
params.set_param('isp_core.sidecar_token', ${pyString(config.sidecarToken)})
params.set_param('isp_core.mac_onboarding_token', ${pyString(config.macToken)})
env.cr.commit()
`;
  const shell = await runOdooShell(odoo, db, params, join(workDir, 'params.log'));
  if (shell.exitCode !== 0)
    throw new Error(`setting system parameters failed; see ${join(workDir, 'params.log')}`);
  const server = await startOdooServer(odoo, db, join(workDir, 'server.log'), {
    port: config.odooPort,
    cronThreads: 1,
  });
  return { url: server.url, fixture, stop: () => server.stop() };
}

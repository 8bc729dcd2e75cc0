import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
import { z } from 'zod';
import type { DevConfig } from './dev-config';

/** The demo data loader, shared with the compose stack's odoo-init (`ISP_DEMO=1`). */
const DEMO_LOADER = resolve(import.meta.dirname, '../../compose/odoo/demo.py');

const demoReportSchema = z.object({
  created: z.number(),
  routers: z.array(z.object({ host: z.string(), port: z.number(), identity: z.string() })),
  macs: z.record(z.string(), z.array(z.string())),
  portal_logins: z.array(z.string()),
});
export type DemoReport = z.infer<typeof demoReportSchema>;

export interface DevOdoo {
  readonly url: string;
  readonly fixture: OdooFixture;
  readonly demo: DemoReport;
  stop(): Promise<void>;
}

/** The demo loader as an `odoo shell` script, with its settings (`ISP_DEMO_*`) set first. */
export function demoLoaderScript(settings: Readonly<Record<string, string>>): string {
  return `import os\nos.environ.update(${JSON.stringify(settings)})\n${readFileSync(DEMO_LOADER, 'utf8')}`;
}

/** The `ISP_DEMO {json}` line the loader prints. */
export function parseDemoReport(log: string): DemoReport | undefined {
  const line = log.split('\n').find((l) => l.startsWith('ISP_DEMO '));
  return line === undefined ? undefined : demoReportSchema.parse(JSON.parse(line.slice('ISP_DEMO '.length)));
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

/** The n-th address counting from `first` (n = 1 is `first`): lab router n listens there. */
export function nthAddress(first: string, n: number): string {
  const parts = first.split('.').map(Number);
  const last = (parts[3] ?? 0) + n - 1;
  return [...parts.slice(0, 3), last].join('.');
}

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
  // changed GATEWAY_PORT or token takes effect; then the demo data (a no-op once loaded). One
  // `odoo shell` for both: each costs seconds of start-up.
  const routers = Array.from(
    { length: config.labRouters },
    (_, i) => `${nthAddress(config.labHost, i + 1)}:8728/lab-router-${i + 1}`,
  );
  const demoEnv = {
    ISP_DEMO_ROUTERS: routers.join(','),
    ISP_DEMO_ROUTER_PASSWORD: config.labRouterPassword,
    ISP_DEMO_PORTAL_PASSWORD: config.portalPassword,
  };
  const script = `
params = env['ir.config_parameter'].sudo()
params.set_param('isp_core.sidecar_url', ${pyString(`http://127.0.0.1:${config.gatewayPort}`)})
params.set_param('isp_core.sidecar_token', ${pyString(config.sidecarToken)})
params.set_param('isp_core.mac_onboarding_token', ${pyString(config.macToken)})
env.cr.commit()
${demoLoaderScript(demoEnv)}`;
  const logFile = join(workDir, 'demo.log');
  const shell = await runOdooShell(odoo, db, script, logFile);
  const demo = shell.exitCode === 0 ? parseDemoReport(shell.log) : undefined;
  if (demo === undefined)
    throw new Error(`setting system parameters and loading the demo data failed; see ${logFile}`);
  const server = await startOdooServer(odoo, db, join(workDir, 'server.log'), {
    port: config.odooPort,
    cronThreads: 1,
  });
  return { url: server.url, fixture, demo, stop: () => server.stop() };
}

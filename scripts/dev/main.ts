import { join, resolve } from 'node:path';
import pg from 'pg';
import { resolvePostgres } from '@isp/testing';
import { startChild, stopChildren, type Child } from './children';
import { loadDevConfig } from './dev-config';
import { devFernetKey } from './fernet-key';
import { prepareLabRouter, startLeaseTimer, type LabRouter, type LeaseTimer } from './lab-leases';
import { nthAddress, startDevOdoo, type DevOdoo } from './odoo-dev';
import { waitForTcp } from './wait';
import { vendorStaticLibs } from '../vendor/static-libs';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');
const PROVISIONER_HEALTH_PORT = 9464;
const LEASE_REPORT_MS = 60_000;

async function queueDatabaseUrl(name: string): Promise<string> {
  const admin = (await resolvePostgres()).adminUrl;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

const say = (component: string, text: string): void => {
  process.stdout.write(`${component.padEnd(12)}│ ${text}\n`);
};

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadDevConfig(process.env, ROOT);
  const children: Child[] = [];
  let odoo: DevOdoo | undefined;
  let leases: LeaseTimer | undefined;
  let report: NodeJS.Timeout | undefined;
  // Ctrl-C reaches `pnpm dev` twice (from the terminal and relayed by pnpm): one shutdown, run once.
  let stopping: Promise<never> | undefined;
  const stop = (code: number): Promise<never> =>
    (stopping ??= (async () => {
      leases?.stop();
      clearInterval(report);
      await stopChildren(children);
      await odoo?.stop();
      if (code === 0) say('pnpm dev', 'stopped');
      process.exit(code);
    })());
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    // The addons' browser libraries (Leaflet for the map view) follow node_modules after a pull.
    vendorStaticLibs();
    // isp_mikrotik encrypts router passwords with it: the Odoo server and the demo loader need it.
    process.env['ISP_FERNET_KEY'] ??= devFernetKey(join(config.stateDir, 'odoo', 'fernet.key'));
    const control = `127.0.0.1:${config.labControlPort}`;
    // The lab starts while Odoo does: neither needs the other yet.
    children.push(
      startChild(
        'routeros-lab',
        TSX,
        [
          'tools/routeros-sim/src/main.ts',
          '--host',
          config.labHost,
          '--count',
          String(config.labRouters),
          '--version',
          config.labVersion,
          '--admin-password',
          config.labRouterPassword,
          '--control',
          control,
        ],
        process.env,
      ),
    );
    odoo = await startDevOdoo(config);
    say(
      'odoo',
      `listening on ${odoo.url} (database ${config.odooDb}; demo data: ${odoo.demo.created} records new)`,
    );

    await waitForTcp(config.labHost, 8728);
    say(
      'routeros-lab',
      `${config.labRouters} routers on ${config.labHost}–${nthAddress(config.labHost, config.labRouters)} port 8728 (admin / ${config.labRouterPassword}); control API http://${control}`,
    );

    const sidecarEnv: NodeJS.ProcessEnv = {
      ...process.env,
      ODOO_URL: odoo.url,
      ODOO_DB: config.odooDb,
      ODOO_USER: odoo.fixture.sidecar.login,
      ODOO_API_KEY: odoo.fixture.sidecar.apiKey,
      ODOO_PROTOCOL: 'json2',
      DATABASE_URL: await queueDatabaseUrl(config.queueDb),
      ISP_MAC_TOKEN: config.macToken,
      ISP_SIDECAR_TOKEN: config.sidecarToken,
      GATEWAY_PORT: String(config.gatewayPort),
      PROVISIONER_HEALTH_PORT: String(PROVISIONER_HEALTH_PORT),
    };
    children.push(startChild('gateway', TSX, ['services/gateway/src/main.ts'], sidecarEnv));
    children.push(startChild('provisioner', TSX, ['services/provisioner/src/main.ts'], sidecarEnv));
    await waitForTcp('127.0.0.1', config.gatewayPort);
    say(
      'gateway',
      `listening on http://127.0.0.1:${config.gatewayPort} (POST /v1/dhcp/lease, token ISP_MAC_TOKEN)`,
    );
    await waitForTcp('127.0.0.1', PROVISIONER_HEALTH_PORT);
    say(
      'provisioner',
      `health and metrics on http://127.0.0.1:${PROVISIONER_HEALTH_PORT} (workers on the pg-boss queue)`,
    );

    const routers: LabRouter[] = odoo.demo.routers.map((router) => ({
      ...router,
      macs: odoo?.demo.macs[router.identity] ?? [],
    }));
    for (const router of routers) {
      await prepareLabRouter(
        router,
        { user: 'admin', password: config.labRouterPassword },
        { url: `http://127.0.0.1:${config.gatewayPort}`, token: config.macToken },
      );
    }
    leases = startLeaseTimer({
      controlUrl: `http://${control}`,
      routers,
      intervalMs: config.leaseIntervalMs,
      onError: (message) => {
        say('lab-leases', message);
      },
    });
    say(
      'lab-leases',
      `an ONU takes or releases a lease every ${config.leaseIntervalMs} ms (LAB_LEASE_INTERVAL_MS)`,
    );
    let last = { ...leases.stats };
    report = setInterval(() => {
      const now = leases?.stats ?? last;
      say(
        'lab-leases',
        `last minute: ${now.bound - last.bound} bound, ${now.released - last.released} released, ${now.refused - last.refused} refused, ${now.failed - last.failed} failed`,
      );
      last = { ...now };
    }, LEASE_REPORT_MS);

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    say('pnpm dev', `ready in ${seconds} s; Ctrl-C stops everything`);
    say('pnpm dev', `back office: ${odoo.url}/odoo  log in as admin / ${odoo.fixture.admin.password}`);
    const customer = odoo.demo.portal_logins[0];
    if (customer !== undefined)
      say(
        'pnpm dev',
        `customer portal: ${odoo.url}/my/isp  log in as ${customer} / ${config.portalPassword}`,
      );
  } catch (err) {
    process.stderr.write(`pnpm dev: ${err instanceof Error ? err.message : String(err)}\n`);
    await stop(1);
  }
}

void main();

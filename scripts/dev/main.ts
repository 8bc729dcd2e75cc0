import { resolve } from 'node:path';
import pg from 'pg';
import { resolvePostgres } from '@isp/testing';
import { startChild, stopChildren, type Child } from './children';
import { loadDevConfig } from './dev-config';
import { startDevOdoo, type DevOdoo } from './odoo-dev';
import { waitForTcp } from './wait';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');
const PROVISIONER_HEALTH_PORT = 9464;

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

function lastAddress(first: string, count: number): string {
  const parts = first.split('.').map(Number);
  const last = (parts[3] ?? 0) + count - 1;
  return [...parts.slice(0, 3), last].join('.');
}

async function main(): Promise<void> {
  const config = loadDevConfig(process.env, ROOT);
  const children: Child[] = [];
  let odoo: DevOdoo | undefined;
  let stopping = false;
  const stop = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      await stopChildren(children);
      await odoo?.stop();
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    odoo = await startDevOdoo(config);
    process.stdout.write(
      `odoo        │ listening on ${odoo.url} (database ${config.odooDb}; log in as admin / admin)\n`,
    );

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
        ],
        process.env,
      ),
    );
    await waitForTcp(config.labHost, 8728);
    process.stdout.write(
      `routeros-lab│ listening on ${config.labHost}–${lastAddress(config.labHost, config.labRouters)} port 8728 (admin, empty password)\n`,
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
    await waitForTcp('127.0.0.1', config.gatewayPort);
    process.stdout.write(
      `gateway     │ listening on http://127.0.0.1:${config.gatewayPort} (POST /v1/dhcp/lease, token ISP_MAC_TOKEN)\n`,
    );

    children.push(startChild('provisioner', TSX, ['services/provisioner/src/main.ts'], sidecarEnv));
    await waitForTcp('127.0.0.1', PROVISIONER_HEALTH_PORT);
    process.stdout.write(
      `provisioner │ health and metrics on http://127.0.0.1:${PROVISIONER_HEALTH_PORT} (workers on the pg-boss queue)\n`,
    );
    process.stdout.write('pnpm dev    │ stack is up; Ctrl-C stops everything\n');
  } catch (err) {
    process.stderr.write(`pnpm dev: ${err instanceof Error ? err.message : String(err)}\n`);
    await stop(1);
  }
}

void main();

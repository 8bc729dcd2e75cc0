import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { resolvePostgres } from '../postgres-server';
import { ADDONS_DIR } from './addons';
import { odooDbArgs, type OdooDbConnection } from './connection';
import { freePort } from './free-port';
import type { OdooCommand } from './locate';
import { runOdoo, type OdooRun } from './run-odoo';

/** A throwaway Odoo database with its own filestore, under `workDir`. */
export interface OdooTestDatabase {
  readonly name: string;
  readonly conn: OdooDbConnection;
  readonly dataDir: string;
  readonly workDir: string;
}

export function newOdooTestDatabase(conn: OdooDbConnection, workDir: string, name: string): OdooTestDatabase {
  const dataDir = join(workDir, 'data');
  mkdirSync(dataDir, { recursive: true });
  return { name, conn, dataDir, workDir };
}

function baseArgs(db: OdooTestDatabase, cronThreads = 0): string[] {
  return [
    '--addons-path',
    ADDONS_DIR,
    '--data-dir',
    db.dataDir,
    ...odooDbArgs(db.conn),
    '-d',
    db.name,
    '--db-filter',
    `^${db.name}$`,
    '--http-interface',
    '127.0.0.1',
    '--workers',
    '0',
    '--max-cron-threads',
    String(cronThreads),
    // Odoo 19 warns on every XML-RPC call that the endpoint is deprecated; the tests use it on purpose.
    '--log-handler',
    'odoo.addons.rpc.controllers.xmlrpc:ERROR',
  ];
}

/** Installs `addons` (creating the database), optionally running their tests; stops when done. */
export async function installAddons(
  odoo: OdooCommand,
  db: OdooTestDatabase,
  addons: readonly string[],
  options: { readonly testTags?: string; readonly logFile: string },
): Promise<OdooRun> {
  const args = [
    ...baseArgs(db),
    '--http-port',
    String(await freePort()),
    '-i',
    addons.join(','),
    '--stop-after-init',
  ];
  if (options.testTags !== undefined) args.push('--test-tags', options.testTags);
  return runOdoo(odoo, args, options.logFile);
}

/** Runs the post-install tests selected by `testTags` on an installed database; stops when done. */
export async function runPostInstallTests(
  odoo: OdooCommand,
  db: OdooTestDatabase,
  testTags: string,
  logFile: string,
): Promise<OdooRun> {
  const args = [
    ...baseArgs(db),
    '--http-port',
    String(await freePort()),
    '--test-tags',
    testTags,
    '--stop-after-init',
  ];
  return runOdoo(odoo, args, logFile);
}

/** Runs a Python script in `odoo shell` against the database; returns the run (stdout in its log). */
export async function runOdooShell(
  odoo: OdooCommand,
  db: OdooTestDatabase,
  script: string,
  logFile: string,
): Promise<OdooRun> {
  const args = ['shell', ...baseArgs(db), '--no-http'];
  return runOdoo(odoo, args, logFile, script);
}

export interface OdooServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Odoo exited with code ${child.exitCode} while starting`);
    try {
      const res = await fetch(`${url}/web/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Odoo did not become healthy at ${url} within ${timeoutMs} ms`);
}

export interface ServeOptions {
  /** Defaults to a free port. */
  readonly port?: number;
  /** Cron threads; 0 (the default) keeps tests deterministic. */
  readonly cronThreads?: number;
}

/** A Fernet key for test Odoos only (base64url of 32 bytes); never used outside tests. */
const TEST_FERNET_KEY = 'aXNwLXRlc3QtZmVybmV0LWtleS1ub3Qtc2VjcmV0ISE=';

/** Starts Odoo serving the database on a loopback port; `stop()` ends it. */
export async function startOdooServer(
  odoo: OdooCommand,
  db: OdooTestDatabase,
  logFile: string,
  options: ServeOptions = {},
): Promise<OdooServer> {
  const port = options.port ?? (await freePort());
  const out = createWriteStream(logFile);
  const args = [...odoo.args, ...baseArgs(db, options.cronThreads), '--http-port', String(port)];
  const child = spawn(odoo.command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    // isp_mikrotik stores router passwords encrypted: a test Odoo gets a throwaway key unless one is set.
    env: { ...process.env, ISP_FERNET_KEY: process.env['ISP_FERNET_KEY'] ?? TEST_FERNET_KEY },
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const url = `http://127.0.0.1:${port}`;
  const stop = (): Promise<void> =>
    new Promise((resolveStop) => {
      if (child.exitCode !== null) {
        resolveStop();
        return;
      }
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolveStop();
      });
      child.kill('SIGTERM');
    });
  try {
    await waitHealthy(url, child, 120_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, stop };
}

/** Drops the database and its filestore. */
export async function dropOdooTestDatabase(db: OdooTestDatabase): Promise<void> {
  const server = await resolvePostgres();
  const client = new pg.Client({ connectionString: server.adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(db.name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
  rmSync(db.workDir, { recursive: true, force: true });
}

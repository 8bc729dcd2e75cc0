import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { resolve } from 'node:path';
import type { OdooTestContext } from '@isp/testing';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * The real provisioner process against a test Odoo and queue database, as compose runs it: node
 * itself with tsx's loader, not the tsx CLI (which runs the program in a child process: a signal
 * to the CLI would not reach the provisioner). `env` adds to or overrides the defaults.
 */
export function spawnProvisioner(options: {
  readonly odoo: OdooTestContext;
  readonly databaseUrl: string;
  readonly stdio: StdioOptions;
  readonly env?: Readonly<Record<string, string>>;
}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'services/provisioner/src/main.ts'], {
    cwd: ROOT,
    stdio: options.stdio,
    env: {
      PATH: process.env['PATH'],
      ODOO_URL: options.odoo.url,
      ODOO_DB: options.odoo.db,
      ODOO_USER: options.odoo.sidecar.login,
      ODOO_API_KEY: options.odoo.sidecar.apiKey,
      ODOO_PROTOCOL: 'json2',
      DATABASE_URL: options.databaseUrl,
      PROVISIONER_HEALTH_PORT: '0',
      PROVISIONER_SWEEP_SECONDS: '1',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
  });
}

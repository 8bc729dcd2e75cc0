import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startLab, type Lab } from '@isp/routeros-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadConfigFile } from '../src/config';
import { labConfigText, SECRET_ENV_VALUES, SECRETS } from './lab-config';

// This file owns 127.0.63.x. The CLI as a technician runs it: a process, its exit code, stdout and stderr.
const MAIN = join(import.meta.dirname, '../src/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'preloader-cli-'));
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ host: '127.0.63.1', port: 0, count: 2 });
});

afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function preloader(args: readonly string[], env: Record<string, string> = SECRET_ENV_VALUES): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

function configFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('config.example.yaml', () => {
  it('is a valid configuration', () => {
    expect(loadConfigFile(join(import.meta.dirname, '../config.example.yaml'))).toMatchObject({
      subnet: '192.168.88.0/24',
      routeros: { mgmt_user: 'odoo_noc' },
    });
  });
});

describe('pnpm preloader', () => {
  it('onboard --dry-run --json: the plan as JSON on stdout, progress on stderr, exit 0, no secret anywhere', async () => {
    const file = configFile('lab.yaml', labConfigText(lab.routers));
    const run = await preloader(['onboard', '--config', file, '--dry-run', '--json']);

    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { ok: boolean; dryRun: boolean; routers: { status: string }[] };
    expect(result).toMatchObject({ ok: true, dryRun: true });
    expect(result.routers.map((r) => r.status)).toEqual(['planned', 'planned']);
    expect(run.stderr).toContain(`${lab.routers[0]!.address}: planned (dry run: nothing changed)`);
    for (const secret of Object.values(SECRETS)) expect(run.stdout + run.stderr).not.toContain(secret);
    expect(lab.control(0).changes).toHaveLength(0);
  });

  it('exits 1 when a router fails, and still reports the others', async () => {
    lab.control(1).refuseConnections(true);
    try {
      const file = configFile('lab.yaml', labConfigText(lab.routers));
      const run = await preloader(['onboard', '--config', file, '--dry-run']);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('dry run: 1 planned, 1 failed; nothing was changed');
      expect(run.stdout).toMatch(/FAILED in login: \[ISP_ERR_ROUTEROS_CONNECT_FAILED\]/);
    } finally {
      lab.control(1).refuseConnections(false);
    }
  });

  it('exits 2 with the key named when the file is wrong, and names missing secrets', async () => {
    const bad = configFile(
      'bad.yaml',
      labConfigText(lab.routers).replace('mgmt_subnet: 127.0.0.1/32', 'mgmt_subnet: everywhere'),
    );
    const run = await preloader(['onboard', '--config', bad, '--dry-run']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('mgmt_subnet: must be an IPv4 prefix');
    expect(run.stdout).toBe('');

    const good = configFile('good.yaml', labConfigText(lab.routers));
    const noSecrets = await preloader(['onboard', '--config', good, '--dry-run', '--json'], {});
    expect(noSecrets.code).toBe(2);
    expect(JSON.parse(noSecrets.stdout)).toEqual({
      error: {
        code: 'ISP_ERR_PRELOADER_ENV',
        message: 'set MIKROTIK_MGMT_PASS, ODOO_ADMIN_PASS, ISP_MAC_TOKEN in the environment',
      },
    });
  });

  it('scan --json: the listeners of a subnet', async () => {
    const other = await startLab({ host: '127.0.63.20', port: 18729, count: 2 });
    try {
      const run = await preloader([
        'scan',
        '--subnet',
        '127.0.63.16/28',
        '--port',
        '18729',
        '--json',
        '--no-mndp',
      ]);
      expect(run.code).toBe(0);
      const result = JSON.parse(run.stdout) as { listeners: { address: string; kind: string }[] };
      expect(result.listeners).toMatchObject([
        { address: '127.0.63.20', kind: 'routeros' },
        { address: '127.0.63.21', kind: 'routeros' },
      ]);
      expect(run.stderr).toContain('probed 14/14, 2 listening');
    } finally {
      await other.close();
    }
  });
});

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { devFernetKey } from './fernet-key';
import { lineFormatter } from './log-lines';
import { nthAddress, parseDemoReport } from './odoo-dev';

const pinoLine = JSON.stringify({
  level: 30,
  time: Date.UTC(2026, 0, 1, 12, 0, 0),
  pid: 1,
  hostname: 'vm',
  name: 'gateway',
  msg: 'Server listening',
  port: 3000,
});

describe('pnpm dev log lines', () => {
  it('renders pino JSON as a readable line on a terminal', () => {
    // eslint-disable-next-line no-control-regex
    const line = lineFormatter(true)(pinoLine).replace(/\u001b\[[0-9;]*m/g, '');
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: Server listening \{"port":3000\}$/);
  });

  it('keeps JSON as written when piped, and any non-JSON line as it is', () => {
    expect(lineFormatter(false)(pinoLine)).toBe(pinoLine);
    expect(lineFormatter(true)('router 127.0.0.10:8728 (api-ssl 8729)')).toBe(
      'router 127.0.0.10:8728 (api-ssl 8729)',
    );
    expect(lineFormatter(true)('{not json')).toBe('{not json');
  });
});

describe('the dev Odoo Fernet key', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'isp-dev-key-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('is made once, readable by its owner only, and the same at every start', () => {
    const file = join(tempDir(), 'odoo', 'fernet.key');
    const key = devFernetKey(file);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(Buffer.from(key, 'base64url')).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(devFernetKey(file)).toBe(key);
    expect(readFileSync(file, 'utf8').trim()).toBe(key);
  });

  it('refuses a file that holds no key rather than replacing it', () => {
    const file = join(tempDir(), 'fernet.key');
    writeFileSync(file, 'not a key\n');
    expect(() => devFernetKey(file)).toThrow(/does not hold a Fernet key/);
  });
});

describe('pnpm dev helpers', () => {
  it('numbers the lab routers from the first address', () => {
    expect(nthAddress('127.0.0.10', 1)).toBe('127.0.0.10');
    expect(nthAddress('127.0.0.10', 3)).toBe('127.0.0.12');
  });

  it("reads the demo loader's report line out of the odoo shell log", () => {
    const report = {
      created: 2,
      routers: [{ host: 'h', port: 1, identity: 'r' }],
      macs: { r: [] },
      portal_logins: [],
    };
    expect(parseDemoReport(`INFO noise\nISP_DEMO ${JSON.stringify(report)}\n`)).toEqual(report);
    expect(parseDemoReport('INFO nothing')).toBeUndefined();
  });
});

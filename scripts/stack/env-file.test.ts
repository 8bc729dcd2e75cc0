import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { editStackEnv, writeStackEnv } from './env-file';

describe('editStackEnv', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('changes the named settings of the .env, as an operator edits it, and keeps every other line', async () => {
    dir = mkdtempSync(join(tmpdir(), 'isp-stack-env-'));
    const env = await writeStackEnv(dir, 120);
    const before = readFileSync(env.file, 'utf8').split('\n');
    const edited = editStackEnv(env, { ISP_DEMO: '1', ISP_DEMO_PORTAL_PASSWORD: 'p4ss' });
    const after = readFileSync(env.file, 'utf8').split('\n');
    expect(after).toContain('ISP_DEMO=1');
    expect(after).toContain('ISP_DEMO_PORTAL_PASSWORD=p4ss');
    expect(after.filter((line, i) => line !== before[i])).toEqual([
      'ISP_DEMO=1',
      'ISP_DEMO_PORTAL_PASSWORD=p4ss',
    ]);
    expect(edited.values['ISP_DEMO_PORTAL_PASSWORD']).toBe('p4ss');
    expect(edited.values['ODOO_ADMIN_PASSWORD']).toBe(env.values['ODOO_ADMIN_PASSWORD']);
    expect(statSync(env.file).mode & 0o777).toBe(0o600);
  });
});

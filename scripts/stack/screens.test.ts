import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyScreens, SCREEN_NAMES } from './screens';

describe('copyScreens', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("replaces the target's screenshots with the run's and leaves its other files", () => {
    dir = mkdtempSync(join(tmpdir(), 'isp-screens-'));
    const from = join(dir, 'run');
    const target = join(dir, 'docs');
    mkdirSync(from);
    mkdirSync(target);
    writeFileSync(join(from, '02-dashboard.png'), 'new');
    writeFileSync(join(from, '01-login.png'), 'new');
    writeFileSync(join(target, '14-map.png'), 'a screen this run did not take');
    writeFileSync(join(target, 'README.md'), 'kept');
    expect(copyScreens(from, target)).toEqual(['01-login.png', '02-dashboard.png']);
    expect(readdirSync(target).sort()).toEqual(['01-login.png', '02-dashboard.png', 'README.md']);
  });
});

describe('SCREEN_NAMES', () => {
  it('names each screen once, so that each keeps its file number', () => {
    expect(new Set(SCREEN_NAMES).size).toBe(SCREEN_NAMES.length);
  });
});

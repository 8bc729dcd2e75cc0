import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { bundleScript, SIDECAR_ENTRIES } from './sidecars';

describe('bundleScript', () => {
  it('inlines what a script imports from the workspace, so plain node runs it', async () => {
    const code = await bundleScript(
      "import { RouterClient } from './packages/routeros/src/index.ts'; console.log(typeof RouterClient);",
    );
    expect(code).not.toMatch(/from ['"][^'"]*packages\/routeros/);
    // Outside the repository, with no loader: only the bundle's own code runs.
    const run = spawnSync(process.execPath, ['--input-type=module'], {
      input: code,
      cwd: tmpdir(),
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('function');
  });
});

describe('SIDECAR_ENTRIES', () => {
  it('bundles the services compose runs and the simulator the lab spawns', () => {
    expect(Object.keys(SIDECAR_ENTRIES).sort()).toEqual(['gateway', 'lab', 'provisioner', 'routeros-sim']);
  });
});

import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** How to start Odoo 19 on this machine: `command args… <odoo arguments>`. */
export interface OdooCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** Where it was found, for the test summary. */
  readonly origin: string;
  readonly version: string;
}

/** Whether `path` is a file this process may run. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function candidate(): Omit<OdooCommand, 'version'> | undefined {
  const home = process.env['ODOO_HOME'];
  if (home !== undefined && home !== '') {
    const bin = join(home, 'odoo-bin');
    if (!existsSync(bin)) throw new Error(`ODOO_HOME=${home} has no odoo-bin`);
    // Odoo's Python dependencies come from Debian's python3-* packages, so prefer Debian's python3
    // over whatever python3 is first on PATH.
    const python =
      process.env['ODOO_PYTHON'] ?? (isExecutable('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
    return { command: python, args: [bin], origin: `ODOO_HOME=${home}` };
  }
  const odoo = onPath('odoo');
  return odoo === undefined ? undefined : { command: odoo, args: [], origin: odoo };
}

/** Finds Odoo 19 by `ODOO_HOME` or an `odoo` executable on PATH; undefined when there is none. */
export async function findOdoo(): Promise<OdooCommand | undefined> {
  const found = candidate();
  if (found === undefined) return undefined;
  const { stdout } = await run(found.command, [...found.args, '--version'], { timeout: 60_000 });
  const version = /Odoo Server (\S+)/.exec(stdout)?.[1];
  if (version === undefined) throw new Error(`${found.origin} does not look like Odoo: ${stdout.trim()}`);
  if (!version.startsWith('19.')) throw new Error(`${found.origin} is Odoo ${version}; Odoo 19 is required`);
  return { ...found, version };
}

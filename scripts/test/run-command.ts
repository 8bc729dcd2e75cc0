import { spawn } from 'node:child_process';

/** Runs a command with the terminal attached; resolves with its exit code (127 when it cannot start). */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { readonly env?: NodeJS.ProcessEnv; readonly cwd?: string } = {},
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: 'inherit',
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    child.on('error', (err) => {
      process.stderr.write(`cannot run ${command}: ${err.message}\n`);
      resolve(127);
    });
    child.on('close', (code, signal) => {
      resolve(code ?? (signal === null ? 1 : 128));
    });
  });
}

/** Resolves the first of `names` found on PATH or as an absolute path. */
export async function which(...names: string[]): Promise<string | undefined> {
  const { accessSync, constants } = await import('node:fs');
  const { delimiter, join, isAbsolute } = await import('node:path');
  for (const name of names) {
    const candidates = isAbsolute(name)
      ? [name]
      : (process.env['PATH'] ?? '')
          .split(delimiter)
          .filter((d) => d !== '')
          .map((d) => join(d, name));
    for (const candidate of candidates) {
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // keep looking
      }
    }
  }
  return undefined;
}

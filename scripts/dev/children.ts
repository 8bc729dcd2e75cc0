import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { lineFormatter } from './log-lines';

const format = lineFormatter(process.stdout.isTTY);

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  stopping: boolean;
}

/** Starts a component with its output prefixed by its name, so one terminal shows the whole stack. */
export function startChild(
  name: string,
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Child {
  // A process group of its own: Ctrl-C reaches `pnpm dev` only, which stops the children in order
  // instead of each dying of SIGINT mid-write.
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const label = `${name.padEnd(12)}│ `;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      process.stdout.write(`${label}${format(line)}\n`);
    });
  }
  const result = { name, process: child, stopping: false };
  child.on('exit', (code, signal) => {
    // A component stopped by `pnpm dev` ending is no news; one that dies on its own is.
    if (!result.stopping) process.stdout.write(`${label}exited (${signal ?? `code ${code ?? '?'}`})\n`);
  });
  return result;
}

/** Stops every child with SIGTERM (their graceful shutdown), SIGKILL after `graceMs`. */
export async function stopChildren(children: readonly Child[], graceMs = 10_000): Promise<void> {
  await Promise.all(
    children.map(
      (entry) =>
        new Promise<void>((resolve) => {
          const child = entry.process;
          entry.stopping = true;
          if (child.exitCode !== null || child.signalCode !== null) {
            resolve();
            return;
          }
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

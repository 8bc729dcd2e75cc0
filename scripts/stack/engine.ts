import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { which } from '../test/run-command';

export const ROOT = resolve(import.meta.dirname, '../..');
export const IMAGES_DIR = resolve(import.meta.dirname, 'images');
/** Where the base root filesystem and the stand-ins' build folders are kept between runs. */
export const CACHE = join(homedir(), '.cache/isp-stack');
export const ROOTFS_TARBALL = join(CACHE, 'bookworm-rootfs.tar');
/** The Odoo 19 source the odoo:19 stand-in is built from (the Odoo tier's ODOO_HOME). */
export const ODOO_SOURCE = process.env['ODOO_HOME'] ?? '/opt/odoo19';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end, collecting its output (never the terminal's). */
export function capture(
  command: string,
  args: readonly string[],
  options: { readonly env?: NodeJS.ProcessEnv; readonly cwd?: string; readonly input?: string } = {},
): Promise<CommandResult> {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd ?? ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (err) => {
      resolveRun({ code: 127, stdout, stderr: `${stderr}cannot run ${command}: ${err.message}\n` });
    });
    child.on('close', (code) => {
      resolveRun({ code: code ?? 1, stdout, stderr });
    });
    // A command that exits at once closes its stdin first: its exit code tells what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** As `capture`, but a failure throws with the command's last output lines. */
export async function run(
  command: string,
  args: readonly string[],
  options: Parameters<typeof capture>[2] = {},
): Promise<string> {
  const result = await capture(command, args, options);
  if (result.code !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${command} ${args.slice(0, 3).join(' ')} … exited ${result.code}:\n${tail}`);
  }
  return result.stdout;
}

export interface Engine {
  /** Environment for podman and docker-compose: the project's containers.conf and the API socket. */
  readonly env: NodeJS.ProcessEnv;
  readonly podman: string;
  readonly compose: string;
  podmanRun(args: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

export type EngineProbe =
  | { readonly ok: true; readonly podman: string; readonly compose: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Whether this machine can run the stack: podman (with runc and netavark's DNS, see
 * containers.conf) and docker-compose.
 */
export async function probeEngine(): Promise<EngineProbe> {
  const podman = await which('podman');
  if (podman === undefined) return { ok: false, reason: 'no podman (Debian: apt-get install podman runc)' };
  if ((await which('runc')) === undefined)
    return { ok: false, reason: 'no runc (Debian: apt-get install runc)' };
  // Compose's services find each other by name through aardvark-dns, netavark's DNS (containers.conf).
  const network = ['/usr/lib/podman/netavark', '/usr/lib/podman/aardvark-dns'].filter((p) => !existsSync(p));
  if (network.length > 0)
    return {
      ok: false,
      reason: `no ${network.join(', no ')} (Debian: apt-get install netavark aardvark-dns)`,
    };
  const compose = await which('docker-compose');
  if (compose === undefined)
    return { ok: false, reason: 'no docker-compose (Debian: apt-get install docker-compose)' };
  return { ok: true, podman, compose };
}

/**
 * `path` with the system folders podman's network backend needs: netavark runs iptables/nft by
 * name, and a minimal environment (a CI runner) without the sbin folders fails every container
 * start with "netavark: No such file or directory".
 */
export function withSbin(path: string | undefined): string {
  const dirs = (path ?? '').split(':').filter((d) => d !== '');
  for (const dir of ['/usr/local/sbin', '/usr/sbin', '/sbin']) if (!dirs.includes(dir)) dirs.push(dir);
  return dirs.join(':');
}

/**
 * Starts podman's Docker-compatible API on a socket of `workDir` for docker-compose. Podman runs
 * healthchecks from systemd timers, which a machine without systemd lacks, so `runHealthchecks`
 * runs them itself until stopped.
 */
export async function startEngine(podman: string, compose: string, workDir: string): Promise<Engine> {
  const socket = join(workDir, 'podman.sock');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: withSbin(process.env['PATH']),
    CONTAINERS_CONF: join(IMAGES_DIR, 'containers.conf'),
    DOCKER_HOST: `unix://${socket}`,
  };
  const service: ChildProcess = spawn(podman, ['system', 'service', '--time=0', `unix://${socket}`], {
    env,
    stdio: 'ignore',
  });
  const deadline = Date.now() + 30_000;
  while (!existsSync(socket)) {
    if (Date.now() > deadline || service.exitCode !== null)
      throw new Error('podman system service did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    env,
    podman,
    compose,
    podmanRun: (args) => run(podman, args, { env }),
    stop: async () => {
      if (service.exitCode !== null) return;
      const exited = new Promise((r) => service.once('exit', r));
      service.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs `podman healthcheck run` on every running container of `project` every few seconds. */
export function runHealthchecks(engine: Engine, project: string): { stop(): Promise<void> } {
  let stopped = false;
  const isStopped = (): boolean => stopped;
  const loop = (async () => {
    while (!isStopped()) {
      const names = await capture(
        engine.podman,
        ['ps', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Names}}'],
        { env: engine.env },
      );
      for (const name of names.stdout.split('\n').filter((n) => n !== '')) {
        if (isStopped()) break;
        // A container without a healthcheck (or one being removed) answers with an error: ignored.
        await capture(engine.podman, ['healthcheck', 'run', name], { env: engine.env });
      }
      await new Promise((r) => setTimeout(r, 2_000));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

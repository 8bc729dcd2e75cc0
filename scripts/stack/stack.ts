import { bundleScript } from '../bundle/sidecars';
import { capture, run, runHealthchecks, type Engine } from './engine';
import type { StackEnv } from './env-file';

const COMPOSE_FILE = 'compose/docker-compose.yml';
/** The services that stay up, each with a healthcheck. */
export const LONG_RUNNING = ['postgres', 'odoo', 'gateway', 'provisioner', 'routeros-lab'] as const;
export type Service = (typeof LONG_RUNNING)[number] | 'odoo-addons' | 'odoo-init';

/** The stack of compose/docker-compose.yml under a project name of the test's own. */
export class Stack {
  private healthchecks: { stop(): Promise<void> } | undefined;

  /** `dir`: the repository the stack runs from (see checkout.ts). */
  constructor(
    private readonly engine: Engine,
    readonly project: string,
    /** compose/.env of the stack (an operator may edit it between two `up`s). */
    public env: StackEnv,
    readonly dir: string,
  ) {}

  /** `docker compose -f compose/docker-compose.yml <args>` from the repository root, as the README says. */
  compose(args: readonly string[]): Promise<string> {
    return run(
      this.engine.compose,
      ['-p', this.project, '--env-file', this.env.file, '-f', COMPOSE_FILE, ...args],
      {
        env: this.engine.env,
        cwd: this.dir,
      },
    );
  }

  /** Container of a service (docker-compose 1's naming). */
  container(service: Service): string {
    return `${this.project}_${service}_1`;
  }

  /** `up -d`, then until every long-running service reports healthy. */
  async up(timeoutMs: number): Promise<void> {
    this.healthchecks ??= runHealthchecks(this.engine, this.project);
    await this.compose(['up', '-d']);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(LONG_RUNNING.map(async (s) => [s, await this.health(s)] as const));
      const waiting = states.filter(([, health]) => health !== 'healthy');
      if (waiting.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`not healthy in time: ${waiting.map(([s, h]) => `${s} (${h})`).join(', ')}`);
      }
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }

  async health(service: Service): Promise<string> {
    const result = await capture(
      this.engine.podman,
      ['inspect', '--format', '{{.State.Health.Status}}', this.container(service)],
      { env: this.engine.env },
    );
    return result.code === 0 ? result.stdout.trim() : 'missing';
  }

  /** When the service's container last started (changes when it is restarted). */
  async startedAt(service: Service): Promise<string> {
    const result = await capture(
      this.engine.podman,
      ['inspect', '--format', '{{.State.StartedAt}}', this.container(service)],
      { env: this.engine.env },
    );
    return result.code === 0 ? result.stdout.trim() : 'missing';
  }

  /**
   * Kills the service's main process with SIGKILL from the host, as the kernel's OOM killer would:
   * a crash, not a stop (`docker kill` counts as an operator's stop, which the restart policy obeys).
   */
  async killProcess(service: Service): Promise<void> {
    const pid = Number(
      (
        await this.engine.podmanRun(['inspect', '--format', '{{.State.Pid}}', this.container(service)])
      ).trim(),
    );
    if (!Number.isInteger(pid) || pid <= 1)
      throw new Error(`${service} has no running process (${String(pid)})`);
    process.kill(pid, 'SIGKILL');
  }

  /** Host addresses a service's ports are published on (`host:port`). */
  async published(service: Service): Promise<string[]> {
    const out = await this.engine.podmanRun(['port', this.container(service)]);
    return out
      .split('\n')
      .map((line) => line.split(' -> ')[1]?.trim())
      .filter((address): address is string => address !== undefined && address !== '');
  }

  /** Runs a command in a service's container (`docker compose exec`). */
  exec(service: Service, command: readonly string[]): Promise<string> {
    return this.engine.podmanRun(['exec', this.container(service), ...command]);
  }

  /**
   * Runs a TypeScript module in a service's container with its plain node (the image has no tsx):
   * bundled here with what it imports from the workspace (paths relative to the repository root),
   * handed over on stdin.
   */
  async node(service: Service, code: string): Promise<string> {
    return run(this.engine.podman, ['exec', '-i', this.container(service), 'node', '--input-type=module'], {
      env: this.engine.env,
      input: await bundleScript(code),
    });
  }

  /** Each container's last log lines, for a failure report. */
  async logs(lines: number): Promise<string> {
    const names = await capture(
      this.engine.podman,
      ['ps', '-a', '--filter', `label=com.docker.compose.project=${this.project}`, '--format', '{{.Names}}'],
      { env: this.engine.env },
    );
    const parts: string[] = [];
    for (const name of names.stdout.split('\n').filter((n) => n !== '')) {
      const log = await capture(this.engine.podman, ['logs', '--tail', String(lines), name], {
        env: this.engine.env,
      });
      parts.push(`── ${name} (last ${lines} lines)\n${`${log.stdout}${log.stderr}`.trimEnd()}`);
    }
    return parts.join('\n');
  }

  /** `down -v`: containers, networks and volumes of the project, whatever state they are in. */
  async destroy(): Promise<void> {
    await this.healthchecks?.stop();
    this.healthchecks = undefined;
    await capture(
      this.engine.compose,
      [
        '-p',
        this.project,
        '--env-file',
        this.env.file,
        '-f',
        COMPOSE_FILE,
        'down',
        '-v',
        '--remove-orphans',
        '-t',
        '20',
      ],
      { env: this.engine.env, cwd: this.dir },
    );
  }
}

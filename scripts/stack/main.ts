// pnpm test:stack — the compose stack built, started and checked as an operator would, under podman
// (see the README's "The stack under test"). Without podman it prints one line and exits 0, unless
// ISP_STACK_REQUIRED=1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StackChecks, type Check } from './checks';
import { probeEngine, startEngine, type Engine } from './engine';
import { writeStackEnv } from './env-file';
import { prepareImages } from './images';
import { Stack } from './stack';

const FIRST_UP_TIMEOUT_MS = 15 * 60_000;
const UP_TIMEOUT_MS = 5 * 60_000;
const LOG_LINES = 40;

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function runStack(engine: Engine, workDir: string): Promise<boolean> {
  const started = performance.now();
  await prepareImages(engine, (line) => {
    say(`  · ${line}`);
  });
  say(`✓ images ready (${seconds(started)})`);

  const project = `ispstack${String(process.pid)}`;
  const env = await writeStackEnv(workDir, 100 + (process.pid % 150));
  const stack = new Stack(engine, project, env);
  let failures = 0;
  const check: Check = async (name, body) => {
    const begun = performance.now();
    try {
      await body();
      say(`✓ ${name} (${seconds(begun)})`);
    } catch (err) {
      failures++;
      say(`✗ ${name} (${seconds(begun)})\n    ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  };
  const checks = new StackChecks(stack, check);
  // Interrupted (Ctrl-C): the stack is removed all the same.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say(`${signal}: removing the stack`);
      void stack
        .destroy()
        .finally(() => engine.stop())
        .finally(() => process.exit(130));
    });
  }
  try {
    await check('docker-compose up: every service healthy', () => stack.up(FIRST_UP_TIMEOUT_MS));
    await checks.fresh();
    await checks.leaseBecomesProfile();
    const subscription = await checks.subscriptionReachesRouter();
    await checks.survivesDownUp(subscription, async () => {
      await stack.compose(['down']);
      await stack.up(UP_TIMEOUT_MS);
    });
    await checks.restartFinishesInFlight(async () => {
      await stack.compose(['restart', 'provisioner']);
    });
  } catch (err) {
    if (failures === 0) say(`✗ ${err instanceof Error ? err.message : String(err)}`);
    failures = Math.max(failures, 1);
    say(await stack.logs(LOG_LINES));
  } finally {
    await stack.destroy();
    say(`stack of project ${project} removed (containers, networks, volumes)`);
  }
  say(`${failures === 0 ? 'stack test passed' : 'stack test FAILED'} in ${seconds(started)}`);
  return failures === 0;
}

async function main(): Promise<number> {
  const probe = await probeEngine();
  if (!probe.ok) {
    const required = process.env['ISP_STACK_REQUIRED'] === '1';
    say(`stack test skipped: ${probe.reason}${required ? ' (ISP_STACK_REQUIRED=1: failing)' : ''}`);
    return required ? 1 : 0;
  }
  const workDir = mkdtempSync(join(tmpdir(), 'isp-stack-'));
  const engine = await startEngine(probe.podman, probe.compose, workDir);
  try {
    return (await runStack(engine, workDir)) ? 0 : 1;
  } finally {
    await engine.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);

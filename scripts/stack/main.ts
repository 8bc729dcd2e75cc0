// pnpm test:stack — the compose stack built, started and checked as an operator would, under podman
// (see the README's "The stack under test"). Without podman it prints one line and exits 0, unless
// ISP_STACK_REQUIRED=1. `--screens-to <dir>` copies the screenshots of the main screens it takes
// (.stack-artifacts/screens) into <dir> when the run passes: docs/screenshots for the README.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freshCheckout } from './checkout';
import { StackChecks, type Check } from './checks';
import { ROOT, probeEngine, startEngine, type Engine } from './engine';
import { editStackEnv, writeStackEnv } from './env-file';
import { prepareImages } from './images';
import { Stack } from './stack';

const SCREENS_DIR = join(ROOT, '.stack-artifacts/screens');

const FIRST_UP_TIMEOUT_MS = 15 * 60_000;
const UP_TIMEOUT_MS = 5 * 60_000;
const LOG_LINES = 40;

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function runStack(engine: Engine, workDir: string, screensTo: string | undefined): Promise<boolean> {
  const started = performance.now();
  const checkout = await freshCheckout(workDir);
  await prepareImages(engine, checkout, (line) => {
    say(`  · ${line}`);
  });
  say(`✓ images ready (${seconds(started)})`);

  const project = `ispstack${String(process.pid)}`;
  const env = await writeStackEnv(workDir, 100 + (process.pid % 150));
  const stack = new Stack(engine, project, env, checkout);
  let failures = 0;
  const check: Check = async (name, body) => {
    const begun = performance.now();
    try {
      const note = await body();
      say(`✓ ${name} (${seconds(begun)})${typeof note === 'string' ? `: ${note}` : ''}`);
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
    await checks.crashFinishesInFlight();
    await checks.demoLoaded(async () => {
      stack.env = editStackEnv(stack.env, {
        ISP_DEMO: '1',
        ISP_DEMO_PORTAL_PASSWORD: randomBytes(12).toString('hex'),
      });
      // `down` first: podman reports its network's IPAM driver as an option, which docker-compose
      // 1.29 takes for a changed network and refuses to `up` over (Docker reports none).
      await stack.compose(['down']);
      await stack.up(UP_TIMEOUT_MS);
    });
    await checks.screenshots(SCREENS_DIR, screensTo, (line) => {
      say(`  · ${line}`);
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
  const { values } = parseArgs({ options: { 'screens-to': { type: 'string' } } });
  const screensTo = values['screens-to'] === undefined ? undefined : resolve(values['screens-to']);
  const probe = await probeEngine();
  if (!probe.ok) {
    const required = process.env['ISP_STACK_REQUIRED'] === '1';
    say(`stack test skipped: ${probe.reason}${required ? ' (ISP_STACK_REQUIRED=1: failing)' : ''}`);
    return required ? 1 : 0;
  }
  const workDir = mkdtempSync(join(tmpdir(), 'isp-stack-'));
  const engine = await startEngine(probe.podman, probe.compose, workDir);
  try {
    return (await runStack(engine, workDir, screensTo)) ? 0 : 1;
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

import { resolve } from 'node:path';
import { runCommand, which } from './run-command';
import type { Step, StepResult } from './step';

export const ROOT = resolve(import.meta.dirname, '../..');

const bin = (name: string): string => resolve(ROOT, 'node_modules/.bin', name);

function commandStep(name: string, command: string, args: string[], what: string): Step {
  return {
    name,
    async run(): Promise<StepResult> {
      const code = await runCommand(command, args, { cwd: ROOT });
      return code === 0
        ? { status: 'passed', detail: what }
        : { status: 'failed', detail: `${what}: exit ${code}` };
    },
  };
}

export const typecheckStep = commandStep(
  'typecheck',
  bin('tsc'),
  ['-p', 'tsconfig.json', '--noEmit'],
  'tsc --noEmit (strict)',
);
export const eslintStep = commandStep(
  'lint',
  bin('eslint'),
  ['--max-warnings', '0', '.'],
  'eslint (typescript-eslint strict)',
);
export const formatStep = commandStep(
  'format',
  bin('prettier'),
  ['--check', '--log-level', 'warn', '.'],
  'prettier --check',
);

/** flake8 from Debian (or whatever is on PATH) over every addon. */
export const pythonLintStep: Step = {
  name: 'python-lint',
  async run(): Promise<StepResult> {
    const flake8 = await which('flake8', '/usr/bin/flake8');
    if (flake8 === undefined) {
      return { status: 'failed', detail: 'flake8 not found (Debian: apt-get install flake8)' };
    }
    const code = await runCommand(flake8, ['odoo-addons'], { cwd: ROOT });
    return code === 0
      ? { status: 'passed', detail: 'flake8 odoo-addons/' }
      : { status: 'failed', detail: `flake8 odoo-addons/: exit ${code}` };
  },
};

/** The compose file checked by Compose itself (no engine needed for `config`). */
export const composeStep: Step = {
  name: 'compose',
  async run(): Promise<StepResult> {
    const compose = await which('docker-compose');
    if (compose === undefined) {
      return {
        status: 'failed',
        detail: 'docker-compose not found (Debian: apt-get install docker-compose)',
      };
    }
    const code = await runCommand(
      compose,
      ['--env-file', 'compose/.env.example', '-f', 'compose/docker-compose.yml', 'config', '--quiet'],
      { cwd: ROOT },
    );
    return code === 0
      ? { status: 'passed', detail: 'docker-compose config (compose/docker-compose.yml)' }
      : { status: 'failed', detail: `docker-compose config: exit ${code}` };
  },
};

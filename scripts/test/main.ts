import { parseArgs } from 'node:util';
import { e2eStep } from './e2e-step';
import { odooTierStep } from './odoo-tier-step';
import { composeStep, eslintStep, formatStep, pythonLintStep, typecheckStep } from './static-steps';
import type { Step } from './step';
import { formatSummary, type NamedResult } from './summary';
import { integrationStep, unitStep } from './test-steps';

const STEPS: readonly Step[] = [
  typecheckStep,
  eslintStep,
  formatStep,
  pythonLintStep,
  composeStep,
  unitStep,
  integrationStep,
  odooTierStep,
  e2eStep,
];

const USAGE = `usage: pnpm test [--only step,…] [--skip step,…]
steps: ${STEPS.map((s) => s.name).join(', ')}`;

function selectSteps(argv: string[]): readonly Step[] {
  const { values } = parseArgs({
    args: argv,
    options: { only: { type: 'string' }, skip: { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const names = (list: string | undefined): string[] | undefined => list?.split(',').map((s) => s.trim());
  const only = names(values.only);
  const skip = names(values.skip) ?? [];
  for (const name of [...(only ?? []), ...skip]) {
    if (!STEPS.some((s) => s.name === name)) throw new Error(`unknown step "${name}"\n${USAGE}`);
  }
  return STEPS.filter((s) => (only === undefined || only.includes(s.name)) && !skip.includes(s.name));
}

async function main(): Promise<number> {
  // pnpm passes a literal `--` through when the user writes `pnpm test -- --only unit`.
  const steps = selectSteps(process.argv.slice(2).filter((a) => a !== '--'));
  const results: NamedResult[] = [];
  for (const step of steps) {
    process.stdout.write(`\n▶ ${step.name}\n`);
    const started = performance.now();
    let result;
    try {
      result = await step.run();
    } catch (err) {
      result = { status: 'failed' as const, detail: err instanceof Error ? err.message : String(err) };
    }
    results.push({ ...result, name: step.name, seconds: (performance.now() - started) / 1000 });
  }
  process.stdout.write(`${formatSummary(results)}\n`);
  return results.some((r) => r.status === 'failed') ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);

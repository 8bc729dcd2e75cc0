import { parseArgs } from 'node:util';
import { checkRequirements } from './requirements';
import { ARTIFACTS_DIR, runSuite } from './suite';
import { summarize } from './summary';

const USAGE = `usage: pnpm test:e2e [--keep]
  --keep   keep Odoo's database after the run (always kept when a step fails)
Screenshots of every step, and the HTML and console of a failing one, go to ${ARTIFACTS_DIR}.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: { keep: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const requirements = await checkRequirements();
  if (!requirements.ok) {
    process.stdout.write(`${requirements.missing}\n`);
    return 0;
  }
  const log = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const result = await runSuite(requirements.odoo, { keep: values.keep, log });
  const summary = summarize(result);
  log(summary.line);
  return summary.counts.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `pnpm test:e2e: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(2);
  },
);

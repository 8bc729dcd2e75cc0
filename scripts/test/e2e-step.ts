import { checkRequirements, runSuite, summarize } from '@isp/e2e';
import type { Step, StepResult } from './step';

/**
 * The browser end-to-end suite (e2e/): the seed's flows in headless Chromium on the local stack.
 * Skipped, in one line, without Odoo 19, Chromium or chromedriver.
 */
export const e2eStep: Step = {
  name: 'e2e',
  async run(): Promise<StepResult> {
    const requirements = await checkRequirements();
    if (!requirements.ok) {
      process.stdout.write(`${requirements.missing}\n`);
      return { status: 'skipped', detail: requirements.missing };
    }
    const result = await runSuite(requirements.odoo, {
      keep: false,
      log: (line) => {
        process.stdout.write(`${line}\n`);
      },
    });
    const { counts, line } = summarize(result);
    return {
      status: counts.failed > 0 ? 'failed' : 'passed',
      detail: `${line}; screenshots in .e2e-artifacts/`,
      tests: counts,
    };
  },
};

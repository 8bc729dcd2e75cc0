import { resolvePostgres } from '@isp/testing';
import type { Step, StepResult } from './step';
import { runVitestProject } from './vitest-step';

export const unitStep: Step = { name: 'unit', run: () => runVitestProject('unit') };

export const integrationStep: Step = {
  name: 'integration',
  async run(): Promise<StepResult> {
    try {
      const pgServer = await resolvePostgres();
      process.stdout.write(`integration tests use Postgres from ${pgServer.source}\n`);
    } catch (err) {
      return { status: 'failed', detail: (err as Error).message };
    }
    return runVitestProject('integration');
  },
};

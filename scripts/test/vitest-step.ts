import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { runCommand } from './run-command';
import { ROOT } from './static-steps';
import type { StepResult } from './step';

const reportSchema = z.object({
  numTotalTests: z.number(),
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number(),
  numTodoTests: z.number(),
  numTotalTestSuites: z.number(),
});

/** Runs one vitest project and reads its counts from vitest's own JSON report. */
export async function runVitestProject(
  project: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<StepResult> {
  const dir = mkdtempSync(join(tmpdir(), 'isp-vitest-'));
  const reportFile = join(dir, 'report.json');
  try {
    const code = await runCommand(
      resolve(ROOT, 'node_modules/.bin/vitest'),
      [
        'run',
        '--project',
        project,
        '--passWithNoTests',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${reportFile}`,
      ],
      { cwd: ROOT, env },
    );
    let report: z.infer<typeof reportSchema>;
    try {
      report = reportSchema.parse(JSON.parse(readFileSync(reportFile, 'utf8')));
    } catch {
      return { status: 'failed', detail: `vitest --project ${project} exited ${code} without a report` };
    }
    const tests = {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      skipped: report.numPendingTests + report.numTodoTests,
    };
    const detail = `vitest ${project}: ${tests.passed} passed, ${tests.failed} failed, ${tests.skipped} skipped`;
    return {
      status: code === 0 ? 'passed' : 'failed',
      detail: code === 0 ? detail : `${detail} (exit ${code})`,
      tests,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

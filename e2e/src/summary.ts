import type { StepOutcome } from './steps';
import type { SuiteResult } from './suite';

export interface SuiteCounts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Step counts and one line: passed, failed, skipped steps, flows that passed whole, and the time. */
export function summarize(result: Pick<SuiteResult, 'outcomes' | 'seconds'>): {
  counts: SuiteCounts;
  line: string;
} {
  const count = (status: StepOutcome['status']): number =>
    result.outcomes.filter((o) => o.status === status).length;
  const counts = { passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
  const flows = [...new Set(result.outcomes.map((o) => o.flow))];
  const whole = flows.filter((f) => result.outcomes.every((o) => o.flow !== f || o.status === 'passed'));
  const line =
    `browser end-to-end: ${counts.passed} steps passed, ${counts.failed} failed, ${counts.skipped} skipped; ` +
    `${whole.length}/${flows.length} flows whole; ${result.seconds.toFixed(0)} s`;
  return { counts, line };
}

import type { StepResult } from './step';

export interface NamedResult extends StepResult {
  readonly name: string;
  readonly seconds: number;
}

/** The closing report of `pnpm test`: one line per step, then the totals line CI reads. */
export function formatSummary(results: readonly NamedResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  const lines = ['', '── pnpm test summary ──'];
  for (const r of results) {
    lines.push(
      `${r.status.toUpperCase().padEnd(7)} ${r.name.padEnd(width)}  ${r.seconds.toFixed(0).padStart(4)} s  ${r.detail}`,
    );
  }
  const total = results.reduce(
    (acc, r) => ({
      passed: acc.passed + (r.tests?.passed ?? 0),
      // A failed step without tests of its own (lint, typecheck) counts as one failure.
      failed: acc.failed + (r.tests?.failed ?? (r.status === 'failed' ? 1 : 0)),
      skipped: acc.skipped + (r.tests?.skipped ?? 0),
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  const failedSteps = results.filter((r) => r.status === 'failed').map((r) => r.name);
  const skippedSteps = results.filter((r) => r.status === 'skipped').map((r) => r.name);
  lines.push(
    `steps: ${results.length - failedSteps.length - skippedSteps.length} passed` +
      (failedSteps.length > 0 ? `, failed: ${failedSteps.join(', ')}` : '') +
      (skippedSteps.length > 0 ? `, skipped: ${skippedSteps.join(', ')}` : ''),
  );
  lines.push(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return lines.join('\n');
}

import { describe, expect, it } from 'vitest';
import { formatSummary } from './summary';

describe(formatSummary.name, () => {
  it('totals the tests of every step and ends with the line CI reads', () => {
    const text = formatSummary([
      {
        name: 'unit',
        status: 'passed',
        detail: 'ok',
        seconds: 3,
        tests: { passed: 10, failed: 0, skipped: 1 },
      },
      {
        name: 'odoo',
        status: 'passed',
        detail: 'ok',
        seconds: 90,
        tests: { passed: 60, failed: 0, skipped: 0 },
      },
    ]);
    expect(text.split('\n').at(-1)).toBe('70 passed, 0 failed, 1 skipped');
  });

  it('counts a failed step without tests as one failure and names skipped steps', () => {
    const text = formatSummary([
      { name: 'lint', status: 'failed', detail: 'exit 1', seconds: 1 },
      {
        name: 'odoo',
        status: 'skipped',
        detail: 'Odoo tier skipped: no Odoo 19 found (set ODOO_HOME)',
        seconds: 0,
      },
    ]);
    expect(text).toContain('steps: 0 passed, failed: lint, skipped: odoo');
    expect(text.split('\n').at(-1)).toBe('0 passed, 1 failed, 0 skipped');
  });
});

export interface OdooTestReport {
  readonly ran: number;
  readonly failed: number;
  readonly errors: number;
  readonly skipped: number;
}

const RESULT = /(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database/g;
const SKIPPED = / skipped \S+ : /g;

/**
 * Reads Odoo's own test report from its log: the closing "N failed, N error(s) of N tests when
 * loading database" line, and one "skipped" line per skipped test. Undefined when the run never
 * reached the report (e.g. the install failed first).
 */
export function parseOdooTestReport(log: string): OdooTestReport | undefined {
  const results = [...log.matchAll(RESULT)];
  const last = results.at(-1);
  if (last === undefined) return undefined;
  return {
    failed: Number(last[1]),
    errors: Number(last[2]),
    ran: Number(last[3]),
    skipped: [...log.matchAll(SKIPPED)].length,
  };
}

/** Lines worth showing when a run failed: Odoo's ERROR and CRITICAL records, first ones first. */
export function odooErrorLines(log: string, max = 40): string[] {
  return log
    .split('\n')
    .filter(
      (line) =>
        / (ERROR|CRITICAL) /.test(line) || line.startsWith('Traceback') || line.startsWith('AssertionError'),
    )
    .slice(0, max);
}

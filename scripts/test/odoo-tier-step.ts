import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  dropOdooTestDatabase,
  findOdoo,
  freshOdooDatabase,
  installProjectAddons,
  ODOO_CONTEXT_ENV,
  odooErrorLines,
  parseOdooTestReport,
  projectAddons,
  runPostInstallTests,
  serveForTests,
  UPSTREAM_TEST_TAGS,
  type OdooCommand,
  type OdooRun,
  type OdooTestDatabase,
} from '@isp/testing';
import { ROOT } from './static-steps';
import type { Step, StepResult } from './step';
import { runVitestProject } from './vitest-step';

export const ODOO_SKIP_LINE = 'Odoo tier skipped: no Odoo 19 found (set ODOO_HOME)';

function hasOdooTierTests(): boolean {
  return ['packages', 'services', 'tools', 'scripts'].some((top) =>
    readdirSync(join(ROOT, top), { recursive: true, encoding: 'utf8' }).some(
      (f) => f.endsWith('.odoo.test.ts') && !f.includes('node_modules'),
    ),
  );
}

type Counts = { passed: number; failed: number; skipped: number };

interface PythonRun {
  readonly ok: boolean;
  readonly detail: string;
  readonly tests: Counts;
}

/** Counts of an Odoo run's test report, or a failure naming the log when tests never ran. */
function judgeRun(run: OdooRun, label: string, logFile: string): PythonRun {
  const report = parseOdooTestReport(run.log);
  if (report === undefined) {
    process.stdout.write(`${odooErrorLines(run.log).join('\n')}\n`);
    return {
      ok: false,
      detail: `${label}: Odoo failed before tests ran (exit ${run.exitCode}); log: ${logFile}`,
      tests: { passed: 0, failed: 1, skipped: 0 },
    };
  }
  const failed = report.failed + report.errors;
  const tests = { passed: report.ran - failed - report.skipped, failed, skipped: report.skipped };
  const ok = run.exitCode === 0 && failed === 0;
  if (!ok) process.stdout.write(`${odooErrorLines(run.log).join('\n')}\n`);
  const detail = `${label}: ${tests.passed} passed, ${tests.failed} failed, ${tests.skipped} skipped`;
  return { ok, detail: ok ? detail : `${detail} (exit ${run.exitCode}); log: ${logFile}`, tests };
}

async function pythonTests(odoo: OdooCommand, db: OdooTestDatabase): Promise<PythonRun> {
  const addons = projectAddons();
  process.stdout.write(
    `Odoo tier: installing ${addons.join(', ') || 'base'} into ${db.name} and running their tests\n`,
  );
  const run = await installProjectAddons(odoo, db, true);
  return judgeRun(run, `Odoo ${odoo.version} Python tests`, join(db.workDir, 'install-and-test.log'));
}

/** Odoo's own tests of what the project extends, run with the project's addons installed. */
async function upstreamTests(odoo: OdooCommand, db: OdooTestDatabase): Promise<PythonRun> {
  const tags = UPSTREAM_TEST_TAGS.join(',');
  process.stdout.write(`Odoo tier: Odoo's own tests with the project's addons installed (${tags})\n`);
  const logFile = join(db.workDir, 'upstream-tests.log');
  const run = await runPostInstallTests(odoo, db, tags, logFile);
  return judgeRun(run, "Odoo's own portal and invoice tests", logFile);
}

/**
 * The Odoo tier: one throwaway database gets every addon installed with its Python tests run,
 * then serves the TypeScript Odoo-tier tests, then is dropped (kept when something failed).
 */
export const odooTierStep: Step = {
  name: 'odoo',
  async run(): Promise<StepResult> {
    const odoo = await findOdoo();
    if (odoo === undefined) {
      process.stdout.write(`${ODOO_SKIP_LINE}\n`);
      return { status: 'skipped', detail: ODOO_SKIP_LINE };
    }
    process.stdout.write(`Odoo tier: Odoo ${odoo.version} from ${odoo.origin}\n`);
    const db = await freshOdooDatabase('tier');
    const python = await pythonTests(odoo, db);
    const details = [python.detail];
    const tests: Counts = { ...python.tests };
    let ok = python.ok;
    if (ok && projectAddons().includes('isp_portal')) {
      const upstream = await upstreamTests(odoo, db);
      details.push(upstream.detail);
      tests.passed += upstream.tests.passed;
      tests.failed += upstream.tests.failed;
      tests.skipped += upstream.tests.skipped;
      ok = upstream.ok;
    }
    if (ok && hasOdooTierTests()) {
      const running = await serveForTests(odoo, db);
      try {
        const ts = await runVitestProject('odoo', {
          ...process.env,
          [ODOO_CONTEXT_ENV]: JSON.stringify(running.context),
        });
        details.push(ts.detail);
        ok = ts.status === 'passed';
        tests.passed += ts.tests?.passed ?? 0;
        tests.failed += ts.tests?.failed ?? 0;
        tests.skipped += ts.tests?.skipped ?? 0;
      } finally {
        await running.stop();
      }
    }
    if (ok) await dropOdooTestDatabase(db);
    else details.push(`database ${db.name} kept for inspection`);
    return { status: ok ? 'passed' : 'failed', detail: details.join('; '), tests };
  },
};

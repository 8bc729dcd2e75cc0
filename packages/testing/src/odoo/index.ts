export { findOdoo, isExecutable, type OdooCommand } from './locate';
export { projectAddons, ADDONS_DIR, TEST_SUPPORT_ADDONS, UPSTREAM_TEST_TAGS } from './addons';
export { parseOdooTestReport, odooErrorLines, type OdooTestReport } from './test-report';
export {
  adminConnection,
  odooTestContext,
  ODOO_CONTEXT_ENV,
  sidecarConnection,
  type OdooTestContext,
} from './context';
export {
  freshOdooDatabase,
  installProjectAddons,
  serveForTests,
  startBenchOdoo,
  dropOdooTestDatabase,
  ODOO_WORK_ROOT,
} from './stack';
export type { RunningOdoo } from './stack';
export {
  newOdooTestDatabase,
  startOdooServer,
  installAddons,
  runOdooShell,
  runPostInstallTests,
  type OdooTestDatabase,
  type OdooServer,
} from './instance';
export { ensureOdooRole } from './connection';
export { createOdooFixture, type OdooFixture } from './fixtures';
export type { OdooRun } from './run-odoo';

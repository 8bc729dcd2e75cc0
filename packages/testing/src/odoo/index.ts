export { findOdoo, type OdooCommand } from './locate';
export { projectAddons, ADDONS_DIR } from './addons';
export { parseOdooTestReport, odooErrorLines, type OdooTestReport } from './test-report';
export { odooTestContext, ODOO_CONTEXT_ENV, type OdooTestContext } from './context';
export {
  freshOdooDatabase,
  installProjectAddons,
  serveForTests,
  dropOdooTestDatabase,
  ODOO_WORK_ROOT,
} from './stack';
export type { RunningOdoo } from './stack';
export type { OdooTestDatabase } from './instance';

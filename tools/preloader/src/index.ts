export {
  configSchema,
  parseConfig,
  loadConfigFile,
  secretsFromEnv,
  formatConfigIssues,
  SECRET_ENV,
} from './config';
export type { PreloaderConfig, Secrets, Target } from './config';
export { PRELOADER_ERRORS, PreloaderError } from './errors';
export type { PreloaderErrorCode } from './errors';
export { scan, KIND_TEXT } from './scan/scan.command';
export type { ScanOptions, ScanResult, Listener } from './scan/scan.command';
export { identify } from './scan/identify';
export type { Identification, ListenerKind } from './scan/identify';
export { watchNeighbours } from './scan/neighbours';
export type { Neighbour } from './scan/neighbours';
export { onboard } from './onboard/onboard.command';
export type { OnboardResult, RouterReport } from './onboard/onboard.command';
export { odooDeviceRegistry } from './onboard/odoo-registry';
export type { DeviceRegistry, DeviceRecord, RegisterResult } from './onboard/odoo-registry';
export { buildPlan, identityFor, MGMT_POLICIES, OWN_COMMENT } from './onboard/plan';
export { renderOnboard, renderScan, onboardJson, scanJson } from './render';
export { silentProgress, stderrProgress } from './output';

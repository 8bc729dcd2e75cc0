export { checkRequirements, type Requirements } from './requirements';
export { runSuite, ARTIFACTS_DIR, type SuiteResult } from './suite';
export { summarize, type SuiteCounts } from './summary';
export { Browser, CHROMEDRIVER, CHROMIUM, type WindowSize } from './browser';
export { BackOffice } from './pages/back-office';
export { Portal } from './pages/portal';

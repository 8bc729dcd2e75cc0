export { checkRequirements, type Requirements } from './requirements';
export { runSuite, ARTIFACTS_DIR, type SuiteResult } from './suite';
export { summarize, type SuiteCounts } from './summary';

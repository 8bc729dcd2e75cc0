export { createProvisionerRuntime, type ProvisionerRuntime } from './runtime';
export { startProvisioner, type Provisioner, type ProvisionerDeps } from './provisioner';
export { createProvisionerOdoo, type ProvisionerOdoo } from './adapters/provisioner-odoo';
export { createRouterLocks, type RouterLocks } from './adapters/router-lock';
export { createRouterSessions, type RouterSessions } from './adapters/router-sessions';
export { sweepOnce } from './sweeper';
export { loadConfig, type ProvisionerConfig } from './config';

export { startLab } from './lab';
export type { Lab, LabOptions, LabRouter } from './lab';
export { RouterControl } from './router-control';
export type { LeaseEvent } from './lease-events';
export type { ChangeRecord } from './router-state';
export type { FetchRecord } from './sim-router';
export type { TlsMaterial } from './sim-server';
export { SimError, SIM_ERRORS } from './errors';
export type { SimErrorCode } from './errors';

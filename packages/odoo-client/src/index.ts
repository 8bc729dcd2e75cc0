export { createOdooClient, createTransport } from './client';
export type {
  CallOptions,
  OdooClient,
  OdooClientDeps,
  OdooContext,
  OdooDomain,
  OdooValues,
  SearchReadOptions,
} from './client';
export {
  connectionFromOdooEnv,
  odooConnectionFromEnv,
  odooConnectionSchema,
  odooEnvSchema,
  type OdooConnection,
  type OdooConnectionInput,
} from './config';
export {
  ODOO_ERRORS,
  OdooAccessError,
  OdooAuthError,
  OdooError,
  OdooMissingRecordError,
  OdooUserError,
  OdooValidationError,
  type OdooErrorCode,
} from './errors';
export { backoffDelay, type RetryClock, type RetryPolicy } from './retry';
export type { OdooCall, OdooProtocol, OdooTransport } from './transport';

export { createGatewayRuntime, type GatewayRuntime } from './runtime';
export { startNoticeServer, type NoticeServer } from './notice/notice-server';
export { buildApp, type GatewayDeps } from './app';
export { loadConfig, type GatewayConfig } from './config';
export { GATEWAY_ERRORS, GatewayError, type ErrorBody, type GatewayErrorCode } from './errors';
export { normalizeMac } from './domain/mac';
export { DHCP_LEASE_PATH, DHCP_LEASE_BODY_LIMIT } from './routes/dhcp-lease.route';
export { JOBS_NOTIFY_PATH } from './routes/jobs-notify.route';
export { createSharedRateLimit, type SharedRateLimit, type SqlExecutor } from './http/shared-rate-limit';

export { resolvePostgres, type PostgresServer } from './postgres-server';
export { createTestDatabase, type TestDatabase } from './test-database';
export { useTestDatabase } from './vitest-database';
export { startTcpProxy, type TcpProxy } from './tcp-proxy';
export * from './odoo/index';
export { makeSelfSignedCertificate, type TlsFixture } from './tls-certificate';
export { rejectionOf } from './rejection';
export { waitFor } from './wait-for';

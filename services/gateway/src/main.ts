import { createLogger } from '@isp/logging';
import { createOdooClient } from '@isp/odoo-client';
import { loadConfigOrExit, onShutdownSignal } from '@isp/runtime';
import { loadConfig } from './config';
import { startNoticeServer } from './notice/notice-server';
import { createGatewayRuntime } from './runtime';

// After SIGTERM, in-flight requests get this long to finish before the process exits regardless.
const SHUTDOWN_DEADLINE_MS = 20_000;

async function main(): Promise<void> {
  const config = loadConfigOrExit(() => loadConfig(process.env));
  const logger = createLogger({ name: 'gateway', level: config.logLevel });
  // Readiness probes must answer fast: no retries, a short deadline.
  const odoo = createOdooClient({ connection: { ...config.odoo, retries: 0, timeoutMs: 2_500 }, logger });
  const gateway = await createGatewayRuntime({
    databaseUrl: config.databaseUrl,
    logger,
    config,
    odooReady: (signal) => odoo.verify({ signal }),
  });

  const notice =
    config.notice === undefined
      ? undefined
      : await startNoticeServer({ ...config.notice, host: config.host });
  if (notice !== undefined)
    logger.info({ port: notice.port, url: config.notice?.url }, 'suspension notice server listening');

  onShutdownSignal(logger, SHUTDOWN_DEADLINE_MS, async () => {
    // Stop accepting and let in-flight requests (whose enqueue may be under way) finish, then the queue.
    await Promise.all([gateway.close(), notice?.close()]);
    odoo.close();
  });

  await gateway.app.listen({ port: config.port, host: config.host });
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

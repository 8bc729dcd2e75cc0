import type { Logger } from '@isp/logging';

/** Validates the configuration once; a bad one prints its one readable message and exits 1. */
export function loadConfigOrExit<C>(load: () => C): C {
  try {
    return load();
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

const LINGER_REPORT_MS = 2_000;

/**
 * Runs `stop` once on SIGTERM or SIGINT (graceful shutdown), exiting anyway when it has not
 * finished within `deadlineMs`.
 */
export function onShutdownSignal(logger: Logger, deadlineMs: number, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown deadline passed, exiting');
      process.exit(1);
    }, deadlineMs);
    force.unref();
    await stop();
    logger.info('stopped');
    // Nothing should keep the process alive now; if something does, say what (timers, sockets)
    // instead of hanging silently. Unref'd: this check never holds the process itself.
    setTimeout(() => {
      logger.warn({ resources: process.getActiveResourcesInfo() }, 'still running after stop');
    }, LINGER_REPORT_MS).unref();
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutdown(signal).catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exitCode = 1;
      });
    });
  }
}

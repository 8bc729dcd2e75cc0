import pg from 'pg';
import { ProvisionerError } from '../errors';

/** First key of every advisory lock this system takes: the routers' lock space. */
const ROUTER_LOCK_SPACE = 0x15_0001;

export interface RouterLocks {
  /**
   * Runs `work` while holding router `deviceId`'s lock: one worker per router across every
   * provisioner replica. Waits up to `waitMs` for another holder, then throws ROUTER_BUSY. `lost`
   * aborts when the session holding the lock ends (Postgres restarted, session killed): Postgres
   * has then released the lock, so the work must not start anything new on the router.
   */
  withRouter<T>(deviceId: number, work: (lost: AbortSignal) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Router serialisation enforced in Postgres with session advisory locks. Each held lock owns a
 * pooled connection; if the process dies, Postgres ends the session and the lock is released, so a
 * crash never leaves a router locked.
 */
export function createRouterLocks(
  databaseUrl: string,
  options: { waitMs: number; max?: number },
): RouterLocks {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 32,
    application_name: 'isp-provisioner-locks',
  });
  // Set once per session rather than before every lock, so a router pass costs one query to lock
  // and one to unlock. Queued ahead of the session's first query; it can only fail with the
  // session, which that first query then reports.
  pool.on('connect', (client) => {
    client.query(`SET lock_timeout = ${Math.max(0, Math.floor(options.waitMs))}`).catch(() => undefined);
  });
  // An idle pooled client whose server went away emits 'error'; the pool replaces it.
  pool.on('error', () => undefined);
  return {
    async withRouter(deviceId, work) {
      const client = await pool.connect();
      // A checked-out session that ends emits 'error' on its client; unheard, that would end the
      // process. Heard, it tells the work that the lock is gone.
      const session = new AbortController();
      const onSessionEnd = (err: Error): void => {
        session.abort(
          new ProvisionerError('ISP_ERR_PROVISIONER_LOCK_LOST', `router ${deviceId}: ${err.message}`, {
            cause: err,
          }),
        );
      };
      client.on('error', onSessionEnd);
      const release = (err?: Error): void => {
        client.off('error', onSessionEnd);
        client.release(err ?? (session.signal.aborted ? true : undefined));
      };
      let locked = false;
      try {
        try {
          await client.query('SELECT pg_advisory_lock($1, $2)', [ROUTER_LOCK_SPACE, deviceId]);
        } catch (err) {
          if ((err as { code?: string }).code === '55P03') {
            throw new ProvisionerError(
              'ISP_ERR_PROVISIONER_ROUTER_BUSY',
              `router ${deviceId} is busy with another worker`,
            );
          }
          throw err;
        }
        locked = true;
        return await work(session.signal);
      } finally {
        if (locked && !session.signal.aborted) {
          // Not awaited: the caller's results do not depend on it, and the next holder's lock request
          // simply queues in Postgres behind it. The session is only pooled again once it is unlocked.
          void client.query('SELECT pg_advisory_unlock($1, $2)', [ROUTER_LOCK_SPACE, deviceId]).then(
            () => {
              release();
            },
            (err: unknown) => {
              release(err instanceof Error ? err : new Error(String(err)));
            },
          );
        } else {
          release();
        }
      }
    },
    close: () => pool.end(),
  };
}

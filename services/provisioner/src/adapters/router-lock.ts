import pg from 'pg';
import { ProvisionerError } from '../errors';

/** First key of every advisory lock this system takes: the routers' lock space. */
const ROUTER_LOCK_SPACE = 0x15_0001;

export interface RouterLocks {
  /**
   * Runs `work` while holding router `deviceId`'s lock: one worker per router across every
   * provisioner replica. Waits up to `waitMs` for another holder, then throws ROUTER_BUSY.
   */
  withRouter<T>(deviceId: number, work: () => Promise<T>): Promise<T>;
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
  // An idle pooled client whose server went away emits 'error'; the pool replaces it.
  pool.on('error', () => undefined);
  return {
    async withRouter(deviceId, work) {
      const client = await pool.connect();
      let locked = false;
      try {
        await client.query(`SET lock_timeout = ${Math.max(0, Math.floor(options.waitMs))}`);
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
        return await work();
      } finally {
        if (locked) {
          await client.query('SELECT pg_advisory_unlock($1, $2)', [ROUTER_LOCK_SPACE, deviceId]).then(
            () => {
              client.release();
            },
            (err: unknown) => {
              client.release(err instanceof Error ? err : true);
            },
          );
        } else {
          client.release();
        }
      }
    },
    close: () => pool.end(),
  };
}

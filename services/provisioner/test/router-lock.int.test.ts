import { useTestDatabase } from '@isp/testing';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createRouterLocks } from '../src/adapters/router-lock';

const db = useTestDatabase('router-lock');

async function terminateLockSessions(): Promise<void> {
  const admin = new pg.Client({ connectionString: db().url });
  await admin.connect();
  try {
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'isp-provisioner-locks'",
      [db().name],
    );
  } finally {
    await admin.end();
  }
}

describe(createRouterLocks.name, () => {
  it('lets one worker at a time drive a router across replicas, and different routers in parallel', async () => {
    // Two replicas: separate pools, as two provisioner processes would have.
    const a = createRouterLocks(db().url, { waitMs: 10_000 });
    const b = createRouterLocks(db().url, { waitMs: 10_000 });
    const active = new Map<number, number>();
    const maxActive = new Map<number, number>();
    let overlapOfDifferentRouters = false;
    const work = (deviceId: number) => async (): Promise<void> => {
      active.set(deviceId, (active.get(deviceId) ?? 0) + 1);
      maxActive.set(deviceId, Math.max(maxActive.get(deviceId) ?? 0, active.get(deviceId) ?? 0));
      if ((active.get(1) ?? 0) > 0 && (active.get(2) ?? 0) > 0) overlapOfDifferentRouters = true;
      await new Promise((r) => setTimeout(r, 30));
      active.set(deviceId, (active.get(deviceId) ?? 0) - 1);
    };
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? a : b).withRouter(1 + (i % 4 < 2 ? 0 : 1), work(1 + (i % 4 < 2 ? 0 : 1))),
      ),
    );
    expect(maxActive.get(1)).toBe(1);
    expect(maxActive.get(2)).toBe(1);
    expect(overlapOfDifferentRouters).toBe(true);
    await a.close();
    await b.close();
  });

  it('gives up with ROUTER_BUSY after the wait, and releases the lock when the work throws', async () => {
    const a = createRouterLocks(db().url, { waitMs: 10_000 });
    const b = createRouterLocks(db().url, { waitMs: 200 });
    let release: () => void = () => undefined;
    let locked: () => void = () => undefined;
    const lockTaken = new Promise<void>((r) => (locked = r));
    const held = a.withRouter(
      9,
      () =>
        new Promise<void>((r) => {
          release = r;
          locked();
        }),
    );
    // Wait for the holder to be inside its work (its connection may take a while on a busy machine).
    await lockTaken;
    await expect(b.withRouter(9, () => Promise.resolve())).rejects.toMatchObject({
      code: 'ISP_ERR_PROVISIONER_ROUTER_BUSY',
    });
    release();
    await held;
    await expect(a.withRouter(9, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(b.withRouter(9, () => Promise.resolve('free'))).resolves.toBe('free');
    await a.close();
    await b.close();
  });

  it('tells the work when the session holding the lock ends, without ending the process', async () => {
    const a = createRouterLocks(db().url, { waitMs: 10_000 });
    const b = createRouterLocks(db().url, { waitMs: 10_000 });
    let finish: () => void = () => undefined;
    const lost = new Promise<unknown>((resolveLost) => {
      void a.withRouter(
        7,
        (signal) =>
          new Promise<void>((resolveWork) => {
            finish = resolveWork;
            signal.addEventListener('abort', () => {
              resolveLost(signal.reason);
            });
            // What a restart of Postgres does to the session: ended from the server side.
            void terminateLockSessions();
          }),
      );
    });
    await expect(lost).resolves.toMatchObject({ code: 'ISP_ERR_PROVISIONER_LOCK_LOST' });
    // Postgres released the lock with the session: another replica gets the router at once.
    await expect(b.withRouter(7, () => Promise.resolve('free'))).resolves.toBe('free');
    finish();
    await a.close();
    await b.close();
  });
});

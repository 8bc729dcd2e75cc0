import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { createLogger } from '@isp/logging';
import { describe, expect, it, vi } from 'vitest';
import { createSharedRateLimit, type SqlExecutor } from '../../src/http/shared-rate-limit';

const WINDOW = 60_000;
const START = Date.UTC(2026, 10, 25, 10, 0, 0);

/** Postgres as the limiter sees it: one count per key and window, shared by every replica. */
class FakeCounts implements SqlExecutor {
  readonly hits = new Map<string, number>();
  readonly statements: string[] = [];
  down = false;

  executeSql(text: string, values: unknown[] = []): Promise<{ rows: unknown[] }> {
    this.statements.push(text);
    if (this.down) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    if (!text.includes('INSERT')) return Promise.resolve({ rows: [] });
    const [keys, windows, deltas] = values as [string[], number[], number[]];
    const rows = keys.map((key, i) => {
      const id = `${String(windows[i])} ${key}`;
      const hits = (this.hits.get(id) ?? 0) + (deltas[i] ?? 0);
      this.hits.set(id, hits);
      return { key, window_start: String(windows[i]), hits };
    });
    return Promise.resolve({ rows });
  }
}

function replica(db: SqlExecutor, now: () => number, maxKeys?: number) {
  const warn = vi.fn();
  const logger = createLogger({ name: 'test', level: 'silent' });
  logger.warn = warn;
  const limiter = createSharedRateLimit({
    db,
    logger,
    now,
    syncIntervalMs: 3_600_000,
    ...(maxKeys === undefined ? {} : { maxKeys }),
  });
  const store: FastifyRateLimitStore = new limiter.store({});
  const hit = (key: string): number => {
    let current = 0;
    store.incr(
      key,
      (_err, result) => {
        current = result?.current ?? -1;
      },
      WINDOW,
      5,
    );
    return current;
  };
  return { limiter, hit, warn };
}

describe(createSharedRateLimit.name, () => {
  it('adds each replica’s hits to the shared count and reads the others’ back', async () => {
    const db = new FakeCounts();
    const clock = { at: START + 5_000 };
    const a = replica(db, () => clock.at);
    const b = replica(db, () => clock.at);
    expect([a.hit('r1'), a.hit('r1')]).toEqual([1, 2]);
    expect(b.hit('r1')).toBe(1);
    await a.limiter.sync();
    await b.limiter.sync();
    expect(b.hit('r1')).toBe(4);
    // b's fourth hit is not synced yet: a counts three shared hits and its own.
    await a.limiter.sync();
    expect(a.hit('r1')).toBe(4);
    // Synced hits are not sent twice.
    await a.limiter.sync();
    await b.limiter.sync();
    expect([...db.hits.values()]).toEqual([5]);
  });

  it('starts a key afresh in the next window and prunes the ended ones from Postgres', async () => {
    const db = new FakeCounts();
    const clock = { at: START + 59_000 };
    const a = replica(db, () => clock.at);
    a.hit('r1');
    a.hit('r1');
    await a.limiter.sync();
    clock.at += 2_000;
    expect(a.hit('r1')).toBe(1);
    await a.limiter.sync();
    expect(db.hits.get(`${String(START + WINDOW)} r1`)).toBe(1);
    expect(db.statements.filter((s) => s.includes('DELETE')).length).toBeGreaterThan(0);
  });

  it('goes on with its own counts while Postgres is away, warns once, and catches up after', async () => {
    const db = new FakeCounts();
    const a = replica(db, () => START);
    db.down = true;
    a.hit('r1');
    await a.limiter.sync();
    await a.limiter.sync();
    expect(a.hit('r1')).toBe(2);
    expect(a.warn).toHaveBeenCalledTimes(1);
    db.down = false;
    await a.limiter.sync();
    expect(db.hits.get(`${String(START)} r1`)).toBe(2);
    expect(a.hit('r1')).toBe(3);
  });

  it('keeps at most maxKeys keys, dropping the oldest first', async () => {
    const db = new FakeCounts();
    const a = replica(db, () => START, 3);
    for (const key of ['r1', 'r2', 'r3', 'r4']) a.hit(key);
    await a.limiter.sync();
    expect([...db.hits.keys()].map((k) => k.split(' ')[1]).sort()).toEqual(['r2', 'r3', 'r4']);
  });
});

import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Logger } from '@isp/logging';

/** What the limiter needs of Postgres: pg-boss's own pool (`boss.getDb()`) will do. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface SharedRateLimitOptions {
  readonly db: SqlExecutor;
  readonly logger: Logger;
  /** How often each replica adds its hits to the shared counts and reads the others'. */
  readonly syncIntervalMs?: number;
  /** Keys counted at once; past this, the oldest go (ended windows are dropped at every sync). */
  readonly maxKeys?: number;
  readonly now?: () => number;
}

export interface SharedRateLimit {
  /** For `@fastify/rate-limit`'s `store` option. */
  readonly store: FastifyRateLimitStoreCtor;
  /** Creates the counts table if missing and starts the periodic sync. */
  start(): Promise<void>;
  /** One sync now: this replica's new hits added, every replica's totals read back. */
  sync(): Promise<void>;
  /** Stops the periodic sync after a last one. */
  close(): Promise<void>;
}

const TABLE = 'isp_gateway.rate_limit_hits';
/** Serialises table creation between replicas starting together. */
const CREATE_LOCK = 0x15_0002;

// Counters need no crash safety: an unlogged table skips the WAL, and a lost count only forgives
// one window.
const CREATE_SQL = `
BEGIN;
SELECT pg_advisory_xact_lock(${String(CREATE_LOCK)});
CREATE SCHEMA IF NOT EXISTS isp_gateway;
CREATE UNLOGGED TABLE IF NOT EXISTS ${TABLE} (
  key text NOT NULL,
  window_start bigint NOT NULL,
  hits integer NOT NULL,
  PRIMARY KEY (key, window_start)
);
COMMIT;`;

// Adds each key's new hits (zero for keys that only need the others' count) and returns the totals.
const UPSERT_SQL = `
INSERT INTO ${TABLE} AS t (key, window_start, hits)
SELECT * FROM unnest($1::text[], $2::bigint[], $3::integer[])
ON CONFLICT (key, window_start) DO UPDATE SET hits = t.hits + excluded.hits
RETURNING key, window_start::text AS window_start, hits`;

const PRUNE_SQL = `DELETE FROM ${TABLE} WHERE window_start < $1`;

interface Count {
  /** Start of the fixed window (ms since the epoch, aligned to its length) the count belongs to. */
  readonly windowStart: number;
  readonly windowMs: number;
  /** Every replica's hits as of the last sync, this one's included. */
  shared: number;
  /** This replica's hits since the last sync. */
  unsent: number;
}

/**
 * A per-key request budget that holds across gateway replicas: Postgres, the sidecars' only shared
 * state, keeps one count per key and fixed window (windows aligned to the epoch, so replicas agree on
 * them without talking). Requests never wait for Postgres: each replica answers from the shared count
 * of its last sync plus its own hits since, and syncs every `syncIntervalMs` in one statement for all
 * keys. Across N replicas a key can overrun its budget by what the other replicas accepted since
 * their last sync. If Postgres is unreachable, each replica goes on with its own counts. Replicas
 * whose clocks disagree (no NTP) disagree on window boundaries, and count a little less there.
 */
export function createSharedRateLimit(options: SharedRateLimitOptions): SharedRateLimit {
  const now = options.now ?? Date.now;
  const syncIntervalMs = options.syncIntervalMs ?? 1_000;
  const maxKeys = options.maxKeys ?? 10_000;
  const counts = new Map<string, Count>();
  let timer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> | undefined;
  let failing = false;
  let closed = false;
  let prunedBefore = 0;

  const windowOf = (at: number, windowMs: number): number => Math.floor(at / windowMs) * windowMs;

  /** Makes room for one more key: the oldest go (a Map iterates in insertion order). */
  function evict(): void {
    for (const key of counts.keys()) {
      if (counts.size < maxKeys) return;
      counts.delete(key);
    }
  }

  function incr(key: string, windowMs: number): { current: number; ttl: number } {
    const at = now();
    const windowStart = windowOf(at, windowMs);
    let count = counts.get(key);
    if (count?.windowStart !== windowStart || count.windowMs !== windowMs) {
      if (count === undefined) evict();
      count = { windowStart, windowMs, shared: 0, unsent: 0 };
      counts.set(key, count);
    }
    count.unsent++;
    return { current: count.shared + count.unsent, ttl: windowStart + windowMs - at };
  }

  async function syncOnce(): Promise<void> {
    const at = now();
    const live: [string, Count][] = [];
    for (const [key, c] of counts) {
      if (c.windowStart + c.windowMs > at) live.push([key, c]);
      else counts.delete(key);
    }
    if (live.length === 0) return;
    const sent = live.map(([, c]) => c.unsent);
    try {
      const { rows } = await options.db.executeSql(UPSERT_SQL, [
        live.map(([key]) => key),
        live.map(([, c]) => c.windowStart),
        sent,
      ]);
      const totals = new Map<string, number>();
      for (const row of rows as { key: string; window_start: string; hits: number }[])
        totals.set(`${row.window_start} ${row.key}`, row.hits);
      live.forEach(([key, c], i) => {
        const shared = totals.get(`${String(c.windowStart)} ${key}`);
        if (shared === undefined) return;
        c.shared = shared;
        c.unsent -= sent[i] ?? 0;
      });
      if (failing) options.logger.info('rate-limit counts shared through Postgres again');
      failing = false;
      // Rows of windows that ended are of no use; dropped once per window change.
      const oldest = Math.min(...live.map(([, c]) => c.windowStart));
      if (oldest > prunedBefore) {
        await options.db.executeSql(PRUNE_SQL, [oldest]);
        prunedBefore = oldest;
      }
    } catch (err) {
      if (!failing) {
        options.logger.warn(
          { err: (err as Error).message },
          'rate-limit counts cannot be shared through Postgres; this replica limits on its own counts',
        );
      }
      failing = true;
    }
  }

  function sync(): Promise<void> {
    // One sync at a time; a caller arriving meanwhile waits for it and then runs its own.
    const previous = syncing ?? Promise.resolve();
    const next = previous.then(syncOnce);
    syncing = next;
    return next.finally(() => {
      if (syncing === next) syncing = undefined;
    });
  }

  class SharedStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      callback(null, incr(key, timeWindow));
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  }

  return {
    store: SharedStore,
    async start() {
      await options.db.executeSql(CREATE_SQL);
      const tick = (): void => {
        if (closed) return;
        timer = setTimeout(() => {
          void sync().finally(tick);
        }, syncIntervalMs);
        timer.unref();
      };
      tick();
    },
    sync,
    async close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      await sync();
    },
  };
}

import type { RouterOsError } from './errors';
import { isRouterOsError } from './errors';
import type { RouterClient } from './router-client';
import type { Row } from './router-connection';
import { normaliseValue } from './values';

/** The properties an owned item must have. `comment` identifies it unless `key` says otherwise. */
export type DesiredItem = Readonly<Record<string, string>>;

/** Which existing items a call may touch: a comment owner prefix (`isp:SUB/0001`) or a predicate. */
export type Owner = string | ((comment: string) => boolean);

export interface EnsureOptions {
  /** Properties that identify an item among the owned ones; default `['comment']`. */
  readonly key?: readonly string[];
  /** Commands sent per pipelined batch (one round trip each). */
  readonly window?: number;
  /**
   * Print query words narrowing the read to the items the owner may own (see `anyOf`); items the
   * query leaves out are neither compared nor touched.
   */
  readonly query?: readonly string[];
  /** Compute the difference but change nothing. */
  readonly dryRun?: boolean;
  readonly timeoutMs?: number;
  /**
   * Properties written on add but never compared, for values the account cannot read back
   * (a ppp secret's password without the `sensitive` policy). Changing one needs an explicit set.
   */
  readonly writeOnly?: readonly string[];
  /**
   * Checked before each write batch: once it aborts, no further batch is sent and the call rejects
   * with its reason (the batch already sent cannot be called back).
   */
  readonly signal?: AbortSignal;
}

export type Change =
  | { readonly action: 'add'; readonly attributes: DesiredItem }
  | { readonly action: 'set'; readonly id: string; readonly attributes: DesiredItem }
  | { readonly action: 'remove'; readonly id: string };

export interface ChangeFailure {
  readonly change: Change;
  readonly error: RouterOsError;
}

export interface EnsureResult {
  readonly menu: string;
  readonly added: number;
  readonly updated: number;
  readonly removed: number;
  readonly unchanged: number;
  /** Sequential waits on the router: one for the read plus one per pipelined batch. */
  readonly roundTrips: number;
  readonly changes: readonly Change[];
  /** Changes the router refused; the others were applied. Empty means the menu is in sync. */
  readonly failures: readonly ChangeFailure[];
  /** The owned items as they were read, before any change (what an audit log calls "before"). */
  readonly owned: readonly Row[];
}

export const DEFAULT_ENSURE_WINDOW = 500;

/** An owner string owns a comment equal to it or starting with it followed by a space. */
export function ownsComment(owner: Owner, comment: string): boolean {
  if (typeof owner === 'function') return owner(comment);
  return comment === owner || comment.startsWith(`${owner} `);
}

/**
 * Pure part of ensure: what to add, set and remove so that the owned items of a menu equal
 * `desired`. Items not owned are never in the result. Owned duplicates of one key are removed.
 */
export function planChanges(
  menu: string,
  existing: readonly Row[],
  owner: Owner,
  desired: readonly DesiredItem[],
  key: readonly string[] = ['comment'],
  writeOnly: readonly string[] = [],
): { readonly changes: readonly Change[]; readonly unchanged: number; readonly owned: readonly Row[] } {
  const keyOf = (item: Readonly<Record<string, string>>): string =>
    JSON.stringify(key.map((name) => normaliseValue(menu, name, item[name] ?? '')));
  const owned = new Map<string, Row>();
  const ownedRows: Row[] = [];
  const removes: Change[] = [];
  for (const row of existing) {
    const id = row['.id'];
    if (id === undefined || row['dynamic'] === 'true' || !ownsComment(owner, row['comment'] ?? '')) continue;
    ownedRows.push(row);
    const rowKey = keyOf(row);
    if (owned.has(rowKey)) removes.push({ action: 'remove', id });
    else owned.set(rowKey, row);
  }
  const sets: Change[] = [];
  const adds: Change[] = [];
  let unchanged = 0;
  for (const item of desired) {
    const itemKey = keyOf(item);
    const row = owned.get(itemKey);
    if (row === undefined) {
      adds.push({ action: 'add', attributes: item });
      continue;
    }
    owned.delete(itemKey);
    const diff: Record<string, string> = {};
    for (const [name, value] of Object.entries(item)) {
      if (writeOnly.includes(name)) continue;
      const current = row[name] ?? '';
      // Equal text is equal once normalised too; only differing text needs the (costlier) normalisation.
      if (value !== current && normaliseValue(menu, name, value) !== normaliseValue(menu, name, current))
        diff[name] = value;
    }
    if (Object.keys(diff).length === 0) unchanged++;
    else sets.push({ action: 'set', id: row['.id'] ?? '', attributes: diff });
  }
  for (const row of owned.values()) removes.push({ action: 'remove', id: row['.id'] ?? '' });
  return { changes: [...removes, ...sets, ...adds], unchanged, owned: ownedRows };
}

/**
 * Brings the items `owner` owns in `menu` to `desired` with one read and pipelined writes.
 * Removals go in their own batches first, so a name freed by a removal can be reused by an add.
 */
export async function ensureMenu(
  client: RouterClient,
  menu: string,
  owner: Owner,
  desired: readonly DesiredItem[],
  options: EnsureOptions = {},
): Promise<EnsureResult> {
  const key = options.key ?? ['comment'];
  const proplist = new Set(['.id', 'comment', 'dynamic', ...key]);
  const writeOnly = options.writeOnly ?? [];
  for (const item of desired)
    for (const name of Object.keys(item)) if (!writeOnly.includes(name)) proplist.add(name);
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const existing = await client.print(menu, {
    proplist: [...proplist],
    ...(options.query === undefined ? {} : { query: options.query }),
    ...timeout,
  });
  const plan = planChanges(menu, existing, owner, desired, key, writeOnly);
  const failures: ChangeFailure[] = [];
  let roundTrips = 1;
  if (options.dryRun !== true) {
    const window = Math.max(1, options.window ?? DEFAULT_ENSURE_WINDOW);
    const removes = plan.changes.filter((change) => change.action === 'remove');
    const writes = plan.changes.filter((change) => change.action !== 'remove');
    for (const group of [removes, writes]) {
      for (let start = 0; start < group.length; start += window) {
        options.signal?.throwIfAborted();
        const batch = group.slice(start, start + window);
        roundTrips++;
        const outcomes = await Promise.allSettled(
          batch.map((change) => apply(client, menu, change, timeout)),
        );
        outcomes.forEach((outcome, index) => {
          const change = batch[index];
          if (outcome.status === 'fulfilled' || change === undefined) return;
          const error: unknown = outcome.reason;
          if (!isRouterOsError(error)) throw error;
          failures.push({ change, error });
        });
      }
    }
  }
  const count = (action: Change['action']): number =>
    plan.changes.filter((change) => change.action === action).length;
  return {
    menu,
    added: count('add'),
    updated: count('set'),
    removed: count('remove'),
    unchanged: plan.unchanged,
    roundTrips,
    changes: plan.changes,
    failures,
    owned: plan.owned,
  };
}

async function apply(
  client: RouterClient,
  menu: string,
  change: Change,
  timeout: { timeoutMs?: number },
): Promise<void> {
  switch (change.action) {
    case 'add':
      await client.add(menu, change.attributes, timeout);
      return;
    case 'set':
      await client.set(menu, change.id, change.attributes, timeout);
      return;
    case 'remove':
      await client.remove(menu, change.id, timeout);
      return;
  }
}

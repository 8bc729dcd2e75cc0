import {
  anyOf,
  ensureMenu,
  isNonEmpty,
  type Change,
  type ChangeFailure,
  type DesiredItem,
  type EnsureResult,
  type NonEmpty,
  type RouterClient,
  type Row,
} from '@isp/routeros';
import type { ProvisioningSubscription } from '../adapters/provisioner-odoo';
import { desiredRouterState, SUBSCRIPTION_MENUS, type SubscriptionMenu } from './desired-state';

/** What changed on the router for one subscription, for its audit row. */
export interface SubscriptionOutcome {
  readonly before: Readonly<Record<string, readonly Row[]>>;
  readonly after: Readonly<Record<string, readonly DesiredItem[]>>;
  readonly changes: number;
  readonly failures: readonly string[];
}

export interface ApplyOutcome {
  readonly bySubscription: ReadonlyMap<number, SubscriptionOutcome>;
  readonly failures: readonly ChangeFailure[];
}

export interface ApplyOptions {
  /**
   * `subscriptions`: touch only the objects of the given subscriptions.
   * `router`: the given subscriptions are all of the router's; objects of any other subscription
   * (terminated, moved to another router, deleted) are removed — drift repair.
   */
  readonly scope: 'subscriptions' | 'router';
  readonly dryRun: boolean;
  readonly timeoutMs?: number;
  /** Aborts when the router's lock is lost: no write is sent after that (see `ensureMenu`). */
  readonly signal?: AbortSignal;
}

const OWNER_PREFIX = 'isp:';

/** The owner tag of an owned comment (`isp:SUB/1 queue` → `isp:SUB/1`), undefined for foreign ones. */
function ownerOf(comment: string): string | undefined {
  if (!comment.startsWith(OWNER_PREFIX)) return undefined;
  const space = comment.indexOf(' ');
  return space === -1 ? comment : comment.slice(0, space);
}

// How an owned item is recognised in each menu: by its comment, since each subscription owns at
// most one item per menu.
const MENU_KEY: Readonly<Record<SubscriptionMenu, readonly string[]>> = {
  '/ip/dhcp-server/lease': ['comment'],
  '/ppp/secret': ['comment'],
  '/queue/simple': ['comment'],
  '/ip/firewall/address-list': ['comment'],
};

/**
 * Brings the router to the desired state of `subscriptions` (one read per menu, pipelined writes,
 * all menus at once), drops the PPPoE sessions of newly suspended secrets, and reports per
 * subscription what was there before and what is there now.
 */
export async function applySubscriptions(
  client: RouterClient,
  subscriptions: readonly ProvisioningSubscription[],
  options: ApplyOptions,
): Promise<ApplyOutcome> {
  const states = subscriptions.map((sub) => ({ sub, state: desiredRouterState(sub) }));
  const owners = [...new Set(states.map(({ state }) => state.owner))];
  let query: { readonly query?: readonly string[] } = {};
  if (options.scope === 'subscriptions') {
    if (!isNonEmpty(owners)) return { bySubscription: new Map(), failures: [] };
    // The router sends only these subscriptions' rows, not the whole menu (thousands of customers
    // on a busy router): what the system writes carries exactly the owner tag as its comment.
    query = { query: anyOf('comment', owners) };
  }
  const ownerSet = new Set(owners);
  const owns =
    options.scope === 'router'
      ? (comment: string): boolean => ownerOf(comment) !== undefined
      : (comment: string): boolean => {
          const owner = ownerOf(comment);
          return owner !== undefined && ownerSet.has(owner);
        };
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };

  const menus = await Promise.all(
    SUBSCRIPTION_MENUS.map(async (menu) => ({
      menu,
      result: await ensureMenu(
        client,
        menu,
        owns,
        states.flatMap(({ state }) => state.menus.get(menu) ?? []),
        {
          key: MENU_KEY[menu],
          dryRun: options.dryRun,
          ...query,
          ...timeout,
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        },
      ),
    })),
  );
  const results = menus.map(({ result }) => result);

  const kicks = options.dryRun
    ? []
    : states.flatMap(({ state }) => (state.kickPppSession === undefined ? [] : [state.kickPppSession]));
  if (isNonEmpty(kicks)) {
    options.signal?.throwIfAborted();
    await dropPppSessions(client, kicks, timeout);
  }
  return {
    bySubscription: outcomes(states, menus),
    failures: results.flatMap((r) => r.failures),
  };
}

async function dropPppSessions(
  client: RouterClient,
  names: NonEmpty<string>,
  timeout: { timeoutMs?: number },
): Promise<void> {
  const wanted = new Set(names);
  const active = await client.print('/ppp/active', {
    proplist: ['.id', 'name'],
    query: anyOf('name', names),
    ...timeout,
  });
  const ids = active.filter((row) => wanted.has(row['name'] ?? '')).map((row) => row['.id'] ?? '');
  if (ids.length === 0) return;
  await client.remove('/ppp/active', ids.join(','), timeout);
}

function commentOfChange(change: Change, rowsById: ReadonlyMap<string, Row>): string {
  return change.action === 'add'
    ? (change.attributes['comment'] ?? '')
    : (rowsById.get(change.id)?.['comment'] ?? '');
}

/** What one menu's ensure did, indexed by owner tag (a pass can cover hundreds of subscriptions). */
interface MenuByOwner {
  readonly menu: SubscriptionMenu;
  readonly before: ReadonlyMap<string, Row[]>;
  readonly changes: ReadonlyMap<string, number>;
  readonly failures: ReadonlyMap<string, string[]>;
}

function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function indexByOwner(menu: SubscriptionMenu, result: EnsureResult): MenuByOwner {
  const rowsById = new Map(result.owned.map((row) => [row['.id'] ?? '', row]));
  const before = new Map<string, Row[]>();
  for (const row of result.owned) {
    const owner = ownerOf(row['comment'] ?? '');
    if (owner !== undefined) append(before, owner, row);
  }
  const changes = new Map<string, number>();
  for (const change of result.changes) {
    const owner = ownerOf(commentOfChange(change, rowsById));
    if (owner !== undefined) changes.set(owner, (changes.get(owner) ?? 0) + 1);
  }
  const failures = new Map<string, string[]>();
  for (const failure of result.failures) {
    const owner = ownerOf(commentOfChange(failure.change, rowsById));
    if (owner !== undefined) append(failures, owner, `${result.menu}: ${failure.error.message}`);
  }
  return { menu, before, changes, failures };
}

function outcomes(
  states: readonly { sub: ProvisioningSubscription; state: ReturnType<typeof desiredRouterState> }[],
  applied: readonly { menu: SubscriptionMenu; result: EnsureResult }[],
): Map<number, SubscriptionOutcome> {
  const menus = applied.map(({ menu, result }) => indexByOwner(menu, result));
  const bySubscription = new Map<number, SubscriptionOutcome>();
  for (const { sub, state } of states) {
    const before: Record<string, readonly Row[]> = {};
    const after: Record<string, readonly DesiredItem[]> = {};
    let changes = 0;
    const failures: string[] = [];
    for (const menu of menus) {
      before[menu.menu] = menu.before.get(state.owner) ?? [];
      after[menu.menu] = state.menus.get(menu.menu) ?? [];
      changes += menu.changes.get(state.owner) ?? 0;
      failures.push(...(menu.failures.get(state.owner) ?? []));
    }
    bySubscription.set(sub.id, { before, after, changes, failures });
  }
  return bySubscription;
}

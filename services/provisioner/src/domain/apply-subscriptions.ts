import {
  ensureMenu,
  type Change,
  type ChangeFailure,
  type DesiredItem,
  type EnsureResult,
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
  /** Sequential waits on the router (menus are handled concurrently on one session). */
  readonly roundTrips: number;
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
  const owners = new Set(states.map(({ state }) => state.owner));
  const owns =
    options.scope === 'router'
      ? (comment: string): boolean => ownerOf(comment) !== undefined
      : (comment: string): boolean => {
          const owner = ownerOf(comment);
          return owner !== undefined && owners.has(owner);
        };
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };

  const results = await Promise.all(
    SUBSCRIPTION_MENUS.map((menu) =>
      ensureMenu(
        client,
        menu,
        owns,
        states.flatMap(({ state }) => state.menus.get(menu) ?? []),
        { key: MENU_KEY[menu], dryRun: options.dryRun, ...timeout },
      ),
    ),
  );
  let roundTrips = Math.max(0, ...results.map((r) => r.roundTrips));

  const kicks = options.dryRun
    ? []
    : states.flatMap(({ state }) => (state.kickPppSession === undefined ? [] : [state.kickPppSession]));
  if (kicks.length > 0) {
    roundTrips += await dropPppSessions(client, kicks, timeout);
  }
  return {
    roundTrips,
    bySubscription: outcomes(states, results),
    failures: results.flatMap((r) => r.failures),
  };
}

async function dropPppSessions(
  client: RouterClient,
  names: readonly string[],
  timeout: { timeoutMs?: number },
): Promise<number> {
  const wanted = new Set(names);
  const active = await client.print('/ppp/active', { proplist: ['.id', 'name'], ...timeout });
  const ids = active.filter((row) => wanted.has(row['name'] ?? '')).map((row) => row['.id'] ?? '');
  if (ids.length === 0) return 1;
  await client.remove('/ppp/active', ids.join(','), timeout);
  return 2;
}

function commentOfChange(change: Change, rowsById: ReadonlyMap<string, Row>): string {
  return change.action === 'add'
    ? (change.attributes['comment'] ?? '')
    : (rowsById.get(change.id)?.['comment'] ?? '');
}

function outcomes(
  states: readonly { sub: ProvisioningSubscription; state: ReturnType<typeof desiredRouterState> }[],
  results: readonly EnsureResult[],
): Map<number, SubscriptionOutcome> {
  const bySubscription = new Map<number, SubscriptionOutcome>();
  for (const { sub, state } of states) {
    const before: Record<string, Row[]> = {};
    const after: Record<string, readonly DesiredItem[]> = {};
    let changes = 0;
    const failures: string[] = [];
    for (const result of results) {
      const rowsById = new Map(result.owned.map((row) => [row['.id'] ?? '', row]));
      before[result.menu] = result.owned.filter((row) => ownerOf(row['comment'] ?? '') === state.owner);
      after[result.menu] = state.menus.get(result.menu as SubscriptionMenu) ?? [];
      changes += result.changes.filter((c) => ownerOf(commentOfChange(c, rowsById)) === state.owner).length;
      for (const failure of result.failures) {
        if (ownerOf(commentOfChange(failure.change, rowsById)) === state.owner) {
          failures.push(`${result.menu}: ${failure.error.message}`);
        }
      }
    }
    bySubscription.set(sub.id, { before, after, changes, failures });
  }
  return bySubscription;
}

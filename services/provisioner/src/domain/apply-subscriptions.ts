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
import {
  desiredRouterState,
  PPP_PROFILE_COMMENT,
  pppProfile,
  pppProfileName,
  SUBSCRIPTION_MENUS,
  type ResultNote,
  type SubscriptionMenu,
} from './desired-state';
import { ROUTER_WIDE_PREFIX } from './router-policy';

/** What changed on the router for one subscription, for its audit row. */
export interface SubscriptionOutcome {
  readonly before: Readonly<Record<string, readonly Row[]>>;
  readonly after: Readonly<Record<string, readonly DesiredItem[]>>;
  readonly changes: number;
  readonly failures: readonly string[];
  /** What a person should know although nothing failed (see `DesiredRouterState.note`). */
  readonly note?: ResultNote;
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
  /** The router applied to: a subscription Odoo has on another router (moved) owns nothing here. */
  readonly deviceId?: number;
  readonly dryRun: boolean;
  readonly timeoutMs?: number;
  /** Aborts when the router's lock is lost: no write is sent after that (see `ensureMenu`). */
  readonly signal?: AbortSignal;
}

const OWNER_PREFIX = 'isp:';

/**
 * The subscription owner tag of a comment (`isp:SUB/1 queue` → `isp:SUB/1`), undefined for foreign
 * and router-wide (`isp:@…`) ones.
 */
function ownerOf(comment: string): string | undefined {
  if (!comment.startsWith(OWNER_PREFIX) || comment.startsWith(ROUTER_WIDE_PREFIX)) return undefined;
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
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const located = await locateDynamicClients(client, subscriptions, timeout);
  const states = located.map((sub) => ({ sub, state: desiredRouterState(sub, options.deviceId) }));
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
  const common = {
    dryRun: options.dryRun,
    ...timeout,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const profiles = await ensurePppProfiles(client, states, common);

  const menus = await Promise.all(
    SUBSCRIPTION_MENUS.map(async (menu) => ({
      menu,
      result: await ensureMenu(
        client,
        menu,
        owns,
        states.flatMap(({ state }) => state.menus.get(menu) ?? []),
        { key: MENU_KEY[menu], ...common, ...query },
      ),
    })),
  );
  const results = menus.map(({ result }) => result);
  // Profiles no secret uses any more go once the secrets have moved off them.
  const unused =
    options.scope === 'router'
      ? await ensureMenu(client, '/ppp/profile', (c) => c === PPP_PROFILE_COMMENT, profiles.desired, {
          key: ['name'],
          ...common,
        })
      : undefined;

  // A session keeps the settings it dialled in with: a changed or disabled secret takes effect when
  // the session is dropped (the client redials at once when it may).
  const changedSecrets = secretsChanged(menus);
  const kicks = options.dryRun
    ? []
    : states.flatMap(({ sub, state }) =>
        state.kickPppSession !== undefined
          ? [state.kickPppSession]
          : sub.pppoeUsername !== undefined && changedSecrets.has(state.owner)
            ? [sub.pppoeUsername]
            : [],
      );
  if (isNonEmpty(kicks)) {
    options.signal?.throwIfAborted();
    await dropPppSessions(client, kicks, timeout);
  }
  return {
    bySubscription: outcomes(states, menus),
    failures: [...profiles.failures, ...results.flatMap((r) => r.failures), ...(unused?.failures ?? [])],
  };
}

/**
 * Where dynamic-DHCP customers are now, as the router knows it (their bound lease), rather than
 * Odoo's last lease event: an address Odoo still remembers may already be someone else's.
 */
async function locateDynamicClients(
  client: RouterClient,
  subscriptions: readonly ProvisioningSubscription[],
  timeout: { timeoutMs?: number },
): Promise<ProvisioningSubscription[]> {
  const dynamic = (sub: ProvisioningSubscription): boolean =>
    sub.authMethod === 'dhcp' &&
    sub.dhcpMode === 'dynamic' &&
    sub.serviceMac !== undefined &&
    sub.state === 'suspended';
  const macs = [...new Set(subscriptions.filter(dynamic).map((sub) => sub.serviceMac ?? ''))];
  if (!isNonEmpty(macs)) return [...subscriptions];
  const leases = await client.print('/ip/dhcp-server/lease', {
    proplist: ['mac-address', 'active-address', 'status'],
    query: anyOf('mac-address', macs),
    ...timeout,
  });
  const bound = new Map(
    leases
      .filter((row) => row['status'] === 'bound' && row['active-address'] !== undefined)
      .map((row) => [row['mac-address']?.toUpperCase(), row['active-address']]),
  );
  return subscriptions.map((sub) =>
    dynamic(sub) ? { ...sub, clientAddress: bound.get(sub.serviceMac?.toUpperCase()) } : sub,
  );
}

/**
 * The plan profiles the pass's PPPoE secrets name, created (or corrected) before the secrets that
 * reference them. Their addressing is the `default` profile's, so customers keep getting their
 * address from the router's own PPPoE set-up.
 */
async function ensurePppProfiles(
  client: RouterClient,
  states: readonly { sub: ProvisioningSubscription; state: ReturnType<typeof desiredRouterState> }[],
  options: { dryRun: boolean; timeoutMs?: number; signal?: AbortSignal },
): Promise<{ desired: DesiredItem[]; failures: readonly ChangeFailure[] }> {
  const plans = new Map(
    states
      .filter(({ state }) => (state.menus.get('/ppp/secret') ?? []).length > 0)
      .map(({ sub }) => [pppProfileName(sub.plan), sub.plan]),
  );
  const names = [...plans.keys()];
  if (!isNonEmpty(names)) return { desired: [], failures: [] };
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const [defaults] = await client.print('/ppp/profile', {
    query: ['name=default'],
    proplist: ['local-address', 'remote-address', 'dns-server'],
    ...timeout,
  });
  const addressing = Object.fromEntries(
    Object.entries(defaults ?? {}).filter(([name, value]) => name !== '.id' && value !== ''),
  );
  const desired = [...plans.values()].map((plan) => pppProfile(plan, addressing));
  const result = await ensureMenu(client, '/ppp/profile', (c) => c === PPP_PROFILE_COMMENT, desired, {
    key: ['name'],
    query: anyOf('name', names),
    ...options,
  });
  return { desired, failures: result.failures };
}

/** Owners whose existing PPPoE secret was changed (not added) in this pass. */
function secretsChanged(applied: readonly { menu: SubscriptionMenu; result: EnsureResult }[]): Set<string> {
  const secrets = applied.find(({ menu }) => menu === '/ppp/secret')?.result;
  if (secrets === undefined) return new Set();
  const rowsById = new Map(secrets.owned.map((row) => [row['.id'] ?? '', row]));
  return new Set(
    secrets.changes.flatMap((change) => {
      if (change.action !== 'set') return [];
      const owner = ownerOf(commentOfChange(change, rowsById));
      return owner === undefined ? [] : [owner];
    }),
  );
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
    const failures: string[] = state.problem === undefined ? [] : [state.problem];
    for (const menu of menus) {
      before[menu.menu] = menu.before.get(state.owner) ?? [];
      after[menu.menu] = state.menus.get(menu.menu) ?? [];
      changes += menu.changes.get(state.owner) ?? 0;
      failures.push(...(menu.failures.get(state.owner) ?? []));
    }
    bySubscription.set(sub.id, {
      before,
      after,
      changes,
      failures,
      ...(state.note === undefined ? {} : { note: state.note }),
    });
  }
  return bySubscription;
}

import {
  ensureMenu,
  type ChangeFailure,
  type DesiredItem,
  type EnsureResult,
  type RouterClient,
} from '@isp/routeros';

import {
  desiredPolicy,
  JUMP_COMMENT,
  ROUTER_WIDE_PREFIX,
  SUSPENDED_JUMP,
  WALLED_GARDEN_COMMENT,
  WALLED_GARDEN_LIST,
  type RouterPolicy,
} from './router-policy';

export interface PolicyOutcome {
  readonly changes: number;
  readonly failures: readonly ChangeFailure[];
}

interface PolicyOptions {
  readonly dryRun: boolean;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

const ownsRouterWide = (comment: string): boolean =>
  comment.startsWith(ROUTER_WIDE_PREFIX) && comment !== JUMP_COMMENT;

/**
 * Keeps the jump to the suspended chain as the first rule of `forward`: a rule placed later would
 * let suspended customers' established connections through the defconf accept and fasttrack rules.
 * Returns the number of changes.
 */
async function ensureJumpFirst(client: RouterClient, options: PolicyOptions): Promise<number> {
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const forward = await client.print('/ip/firewall/filter', {
    query: ['chain=forward'],
    proplist: ['.id', 'comment', 'dynamic', ...Object.keys(SUSPENDED_JUMP)],
    ...timeout,
  });
  const rules = forward.filter((row) => row['dynamic'] !== 'true');
  const jumps = rules.filter((row) => row['comment'] === JUMP_COMMENT);
  const first = rules[0];
  const inPlace =
    jumps.length === 1 &&
    first !== undefined &&
    first === jumps[0] &&
    Object.entries(SUSPENDED_JUMP).every(([name, value]) => first[name] === value);
  if (inPlace || options.dryRun) return inPlace ? 0 : 1;
  options.signal?.throwIfAborted();
  if (jumps.length > 0)
    await client.remove('/ip/firewall/filter', jumps.map((row) => row['.id'] ?? '').join(','), timeout);
  const before = rules.find((row) => row['comment'] !== JUMP_COMMENT)?.['.id'];
  await client.add(
    '/ip/firewall/filter',
    before === undefined ? SUSPENDED_JUMP : { ...SUSPENDED_JUMP, 'place-before': before },
    timeout,
  );
  return jumps.length + 1;
}

const changed = (result: EnsureResult): number => result.changes.length;

/**
 * The suspended chain's rules, in their order: DNS and the walled garden before the reject. Order
 * matters, so any difference (a rule missing, changed or moved) re-creates the chain's rules in
 * order rather than patching one, which would land after the reject.
 */
async function ensureChain(
  client: RouterClient,
  desired: readonly DesiredItem[],
  options: PolicyOptions,
): Promise<number> {
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const names = new Set(['.id', 'comment', 'dynamic', ...desired.flatMap((item) => Object.keys(item))]);
  const rows = await client.print('/ip/firewall/filter', { proplist: [...names], ...timeout });
  const owned = rows.filter((row) => row['dynamic'] !== 'true' && ownsRouterWide(row['comment'] ?? ''));
  const same =
    owned.length === desired.length &&
    desired.every((item, index) =>
      Object.entries(item).every(([name, value]) => owned[index]?.[name] === value),
    );
  if (same) return 0;
  if (options.dryRun) return owned.length + desired.length;
  options.signal?.throwIfAborted();
  if (owned.length > 0)
    await client.remove('/ip/firewall/filter', owned.map((row) => row['.id'] ?? '').join(','), timeout);
  options.signal?.throwIfAborted();
  for (const item of desired) await client.add('/ip/firewall/filter', item, timeout);
  return owned.length + desired.length;
}

/**
 * Brings the router-wide objects of the suspension to `policy`: the walled garden (address list
 * and hotspot walled garden),
 * the suspended chain, the notice redirect and the jump that sends suspended customers through
 * them. Objects are the system's own (`isp:@…` comments); nothing else is touched.
 */
export async function applyRouterPolicy(
  client: RouterClient,
  policy: RouterPolicy,
  options: PolicyOptions,
): Promise<PolicyOutcome> {
  const desired = desiredPolicy(policy);
  const common = {
    dryRun: options.dryRun,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const ownsGarden = (c: string): boolean => c === WALLED_GARDEN_COMMENT;
  const [garden, hotspotGarden, chain, nat] = await Promise.all([
    ensureMenu(client, '/ip/firewall/address-list', ownsGarden, desired.walledGarden, {
      ...common,
      key: ['comment', 'address'],
      query: [`list=${WALLED_GARDEN_LIST}`],
    }),
    ensureMenu(client, '/ip/hotspot/walled-garden', ownsGarden, desired.hotspotWalledGarden, {
      ...common,
      key: ['comment', 'dst-host'],
    }),
    ensureChain(client, desired.chain, options),
    ensureMenu(client, '/ip/firewall/nat', ownsRouterWide, desired.nat, common),
  ]);
  const jump = await ensureJumpFirst(client, options);
  return {
    changes: changed(garden) + changed(hotspotGarden) + chain + changed(nat) + jump,
    failures: [...garden.failures, ...hotspotGarden.failures, ...nat.failures],
  };
}

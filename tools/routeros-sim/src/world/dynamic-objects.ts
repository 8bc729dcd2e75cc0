import { normaliseRatePair } from '@isp/routeros';

import type { MenuMutator } from '../schema';

// Which lease, session or login a dynamic queue or address-list entry belongs to. Not a menu
// property: never printed, never writable through the API.
const OWNER = '.owner';

/** The dynamic objects a bound lease, a PPP session or a hotspot login makes the router create. */
export interface DynamicObjects {
  readonly address: string;
  /** Dynamic address-list entries the client's address joins. */
  readonly lists: readonly string[];
  /** Name of the dynamic simple queue made from `rateLimit`. */
  readonly queueName: string;
  /** A `rate-limit`: when set, a dynamic queue limits the client. */
  readonly rateLimit: string | undefined;
}

/**
 * The `max-limit` of a `rate-limit` (`rx[/tx] [bursts…]`, rx = the client's upload): its first
 * word, both directions. Undefined when the text is not a rate.
 */
export function maxLimitOf(rateLimit: string): string | undefined {
  const first = rateLimit.trim().split(/\s+/)[0] ?? '';
  return first === '' ? undefined : normaliseRatePair(first);
}

export function splitNames(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}

/** Removes every dynamic object of `owner`. */
export function clearDynamics(state: MenuMutator, owner: string): void {
  for (const menu of ['/queue/simple', '/ip/firewall/address-list']) {
    for (const item of state.items(menu).filter((candidate) => candidate.values[OWNER] === owner))
      state.delete(menu, item);
  }
}

/** Replaces the dynamic objects of `owner` with `wanted` (a queue goes to the end of the list). */
export function setDynamics(state: MenuMutator, owner: string, wanted: DynamicObjects): void {
  clearDynamics(state, owner);
  const limit = wanted.rateLimit === undefined ? undefined : maxLimitOf(wanted.rateLimit);
  if (limit !== undefined) {
    state.insert(
      '/queue/simple',
      { name: wanted.queueName, target: `${wanted.address}/32`, 'max-limit': limit, [OWNER]: owner },
      { dynamic: true },
    );
  }
  for (const list of wanted.lists) {
    state.insert(
      '/ip/firewall/address-list',
      { list, address: wanted.address, [OWNER]: owner },
      { dynamic: true },
    );
  }
}

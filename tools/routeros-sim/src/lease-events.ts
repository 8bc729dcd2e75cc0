import { ipv4ToNumber, isIpv4, numberToIpv4 } from '@isp/routeros';

import { formatId } from './router-state';
import type { SimItem } from './schema';
import type { SimRouter } from './sim-router';
import { applyLeaseEffects, clearLeaseEffects } from './world/lease-effects';

export interface LeaseEvent {
  readonly mac: string;
  /** Address to hand out; defaults to the lease's static address or the next free one of the pool. */
  readonly ip?: string;
  /** DHCP server name; defaults to the first server. */
  readonly server?: string;
  readonly hostname?: string;
}

const LEASE_MENU = '/ip/dhcp-server/lease';
// Keys a lease has only while bound (a waiting static lease has none of them).
const ACTIVE_KEYS: ReadonlySet<string> = new Set([
  'active-address',
  'active-mac-address',
  'active-server',
  'expires-after',
  'host-name',
]);

function findServer(router: SimRouter, name: string | undefined): SimItem | undefined {
  const servers = router.state.items('/ip/dhcp-server');
  return name === undefined ? servers[0] : servers.find((server) => server.values['name'] === name);
}

/** The lease a client of `server` gets: its static lease when there is one, else its dynamic lease. */
function findLease(router: SimRouter, mac: string, server: string): SimItem | undefined {
  const leases = router.state
    .items(LEASE_MENU)
    .filter(
      (lease) =>
        lease.values['mac-address'] === mac &&
        [undefined, 'all', server].includes(lease.values['server']) &&
        lease.values['disabled'] !== 'true',
    );
  return leases.find((lease) => lease.dynamic !== true) ?? leases[0];
}

function allocate(router: SimRouter, server: SimItem): string | undefined {
  const pool = router.state
    .items('/ip/pool')
    .find((item) => item.values['name'] === server.values['address-pool']);
  const used = new Set(
    router.state
      .items(LEASE_MENU)
      .flatMap((lease) => [lease.values['address'], lease.values['active-address']]),
  );
  for (const range of (pool?.values['ranges'] ?? '').split(',')) {
    const [from = '', to = from] = range.split('-');
    if (!isIpv4(from) || !isIpv4(to)) continue;
    for (let n = ipv4ToNumber(from); n <= ipv4ToNumber(to); n++) {
      const candidate = numberToIpv4(n);
      if (!used.has(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Why a client got no lease. */
export type BindRefusal = 'no-server' | 'blocked' | 'pool-exhausted';
export type BindResult =
  { readonly id: string; readonly address: string } | { readonly refused: BindRefusal };

function runLeaseScript(
  router: SimRouter,
  server: SimItem,
  lease: SimItem,
  bound: boolean,
  hostname: string,
): void {
  const script = server.values['lease-script'] ?? '';
  if (script === '') return;
  router.startScript(script, {
    leaseBound: bound ? '1' : '0',
    leaseServerName: server.values['name'] ?? '',
    leaseActMAC: lease.values['active-mac-address'] ?? lease.values['mac-address'] ?? '',
    leaseActIP: lease.values['active-address'] ?? lease.values['address'] ?? '',
    'lease-hostname': hostname,
    'lease-agent-circuit-id': '',
    'lease-agent-remote-id': '',
  });
}

/**
 * A client takes a lease: the lease becomes bound, its rate limit and address lists apply, and the
 * server's lease-script runs (leaseBound=1). A lease with `block-access` gets no answer.
 */
export function bindLease(router: SimRouter, event: LeaseEvent): BindResult {
  const mac = event.mac.toUpperCase();
  const server = findServer(router, event.server);
  if (server === undefined) return { refused: 'no-server' };
  const serverName = server.values['name'] ?? '';
  let lease = findLease(router, mac, serverName);
  if (lease?.values['block-access'] === 'true') return { refused: 'blocked' };
  const staticAddress = lease?.values['address'];
  const stale = router.state
    .items(LEASE_MENU)
    .filter((other) => other !== lease && other.dynamic === true && other.values['mac-address'] === mac);
  // A client asks for the address it had (a renewal, or its dynamic lease replaced by a static one).
  const previous = lease?.values['active-address'] ?? stale[0]?.values['active-address'];
  const address =
    event.ip ??
    (staticAddress !== undefined && isIpv4(staticAddress) && staticAddress !== '0.0.0.0'
      ? staticAddress
      : (previous ?? allocate(router, server)));
  if (address === undefined) return { refused: 'pool-exhausted' };
  const active: Record<string, string> = {
    status: 'bound',
    'active-address': address,
    'active-mac-address': mac,
    'active-server': serverName,
    'expires-after': server.values['lease-time'] ?? '30m',
    'last-seen': '0s',
    ...(event.hostname === undefined ? {} : { 'host-name': event.hostname }),
  };
  // A static lease replaces the client's dynamic one at its next request.
  for (const replaced of stale) {
    clearLeaseEffects(router.state, replaced);
    router.state.delete(LEASE_MENU, replaced);
  }
  if (lease === undefined) {
    lease = router.state.insert(
      LEASE_MENU,
      { address, 'mac-address': mac, server: serverName, ...active },
      { dynamic: true },
    );
  } else {
    router.state.update(LEASE_MENU, lease, active);
  }
  applyLeaseEffects(router.state, lease);
  router.state.record({
    user: 'dhcp',
    command: 'lease bound',
    id: formatId(lease.id),
    attributes: { mac, address },
  });
  runLeaseScript(router, server, lease, true, event.hostname ?? '');
  return { id: formatId(lease.id), address };
}

/** A client releases its lease: a dynamic lease disappears, a static one returns to waiting; the script runs (leaseBound=0). */
export function releaseLease(router: SimRouter, event: Omit<LeaseEvent, 'ip' | 'hostname'>): boolean {
  const mac = event.mac.toUpperCase();
  const server = findServer(router, event.server);
  if (server === undefined) return false;
  const lease = findLease(router, mac, server.values['name'] ?? '');
  if (lease?.values['status'] !== 'bound') return false;
  const snapshot: SimItem = { ...lease, values: { ...lease.values } };
  if (lease.dynamic === true) {
    router.state.delete(LEASE_MENU, lease);
  } else {
    lease.values = Object.fromEntries(Object.entries(lease.values).filter(([key]) => !ACTIVE_KEYS.has(key)));
    router.state.update(LEASE_MENU, lease, { status: 'waiting' });
  }
  clearLeaseEffects(router.state, lease);
  router.state.record({
    user: 'dhcp',
    command: 'lease released',
    id: formatId(lease.id),
    attributes: { mac },
  });
  runLeaseScript(router, server, snapshot, false, snapshot.values['host-name'] ?? '');
  return true;
}

import type { MenuMutator, SimItem } from '../schema';
import { clearDynamics, setDynamics, splitNames } from './dynamic-objects';

const leaseOwner = (lease: SimItem): string => `lease:${lease.id}`;

/**
 * What a bound lease makes the router create: a dynamic queue from the lease's `rate-limit` (static
 * leases only) and dynamic address-list entries for the lease's and its server's `address-lists`.
 * Also called when a bound lease is changed through the API, so a change applies at once.
 */
export function applyLeaseEffects(state: MenuMutator, lease: SimItem): void {
  const address = lease.values['active-address'];
  if (lease.values['status'] !== 'bound' || address === undefined) {
    clearDynamics(state, leaseOwner(lease));
    return;
  }
  const server = state
    .items('/ip/dhcp-server')
    .find((item) => item.values['name'] === lease.values['active-server']);
  const rateLimit = lease.dynamic === true ? undefined : lease.values['rate-limit'];
  const mac = lease.values['active-mac-address'] ?? '';
  setDynamics(state, leaseOwner(lease), {
    address,
    lists: [
      ...new Set([
        ...splitNames(lease.values['address-lists']),
        ...splitNames(server?.values['address-lists']),
      ]),
    ],
    queueName: `dhcp-ds<${mac}>`,
    rateLimit,
  });
}

/** A removed lease takes its dynamic objects with it. */
export function clearLeaseEffects(state: MenuMutator, lease: SimItem): void {
  clearDynamics(state, leaseOwner(lease));
}

import type { Logger } from '@isp/logging';
import { DHCP_LEASE_QUEUE, dhcpLeaseQueue, type DhcpLeaseEvent } from '@isp/queue';
import type { LeaseForOdoo, ProvisionerOdoo } from '../adapters/provisioner-odoo';

export { DHCP_LEASE_QUEUE, dhcpLeaseQueue };

/**
 * Of several events for one MAC only the latest matters (a lease storm after a power cut repeats
 * bind/release); keeping one per MAC bounds what Odoo has to do.
 */
export function coalesceLeases(events: readonly DhcpLeaseEvent[]): LeaseForOdoo[] {
  const latest = new Map<string, DhcpLeaseEvent>();
  for (const event of events) {
    const seen = latest.get(event.mac);
    if (seen === undefined || seen.receivedAt <= event.receivedAt) latest.set(event.mac, event);
  }
  return [...latest.values()].map(({ mac, ip, bound, server, hostname, router, serial }) => ({
    mac,
    ip,
    bound,
    server,
    hostname,
    router,
    ...(serial === undefined ? {} : { serial }),
  }));
}

/**
 * Drains a batch of lease events into Odoo with one `register_leases` call per chunk. Odoo reports
 * bad entries per entry and still saves the good ones, so a bad event never blocks the batch; an
 * Odoo outage throws, and pg-boss keeps the whole batch for a later retry.
 */
export async function handleLeaseBatch(
  events: readonly DhcpLeaseEvent[],
  deps: { readonly odoo: ProvisionerOdoo; readonly logger: Logger; readonly chunk: number },
): Promise<{ readonly calls: number; readonly leases: number }> {
  const leases = coalesceLeases(events);
  let calls = 0;
  for (let start = 0; start < leases.length; start += deps.chunk) {
    await deps.odoo.registerLeases(leases.slice(start, start + deps.chunk));
    calls++;
  }
  deps.logger.info(
    { events: events.length, leases: leases.length, calls },
    'lease events registered in Odoo',
  );
  return { calls, leases: leases.length };
}

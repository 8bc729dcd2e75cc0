import { z } from 'zod';
import type { QueueDefinition } from '../queue-definition';

export const DHCP_LEASE_QUEUE = 'dhcp.lease';

/** `AA:BB:CC:DD:EE:FF`, the only MAC form the queue and Odoo (`isp.mac.profile`) accept. */
export const NORMALIZED_MAC = /^[0-9A-F]{2}(?::[0-9A-F]{2}){5}$/;

// Postgres' jsonb refuses NUL and unpaired surrogates; control characters have no place in these
// names either. Refusing them here turns what would be a failed INSERT into a clear validation error.
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when the text is storable and printable (no control characters, no unpaired surrogates). */
export function isSafeText(text: string): boolean {
  let surrogates = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
    if (code >= 0xd800 && code <= 0xdfff) surrogates = true;
  }
  // Only text with surrogates can hold an unpaired one; the regex is skipped for all the rest.
  return !surrogates || !UNPAIRED_SURROGATE.test(text);
}

const safeText = (max: number) =>
  z.string().max(max).refine(isSafeText, 'must not contain control characters');

/**
 * One DHCP lease event from a router's lease-script, normalised by the gateway. The fields are the
 * webhook body of the contract (what `isp.mac.profile.register_leases` takes) plus when it arrived.
 */
export const dhcpLeaseEventSchema = z.object({
  mac: z.string().regex(NORMALIZED_MAC),
  ip: z.ipv4(),
  bound: z.boolean(),
  server: safeText(64),
  hostname: safeText(255),
  router: safeText(128).pipe(z.string().min(1)),
  /** The RouterBOARD serial number; absent from older lease-scripts and from CHR/x86 routers. */
  serial: safeText(64).pipe(z.string().min(1)).optional(),
  receivedAt: z.iso.datetime(),
});

export type DhcpLeaseEvent = z.output<typeof dhcpLeaseEventSchema>;

/** Repeats of the same (mac, bound, ip) inside one window are stored once. */
export const DHCP_LEASE_DEDUP_SECONDS = 60;

export const dhcpLeaseQueue: QueueDefinition<typeof dhcpLeaseEventSchema> = {
  name: DHCP_LEASE_QUEUE,
  schema: dhcpLeaseEventSchema,
  deadLetter: `${DHCP_LEASE_QUEUE}.dead`,
  options: {
    policy: 'standard',
    // Odoo may be down for a while (a night's maintenance, a weekend); the provisioner's batches retry
    // without losing the events: with the 10-minute cap, 500 retries span about three days before an
    // event would go to the dead-letter queue.
    retryLimit: 500,
    retryDelay: 5,
    retryBackoff: true,
    retryDelayMax: 600,
    expireInSeconds: 300,
    // A worker killed mid-job stops its heartbeat; pg-boss then retries the job within about
    // this long instead of waiting for the expiry.
    heartbeatSeconds: 30,
    // No LISTEN/NOTIFY wake-up: the provisioner polls so that a lease storm accumulates into few,
    // large register_leases calls; a new lease reaches Odoo within a poll interval.
    // A week of failed events stays inspectable before pg-boss deletes it.
    retentionSeconds: 7 * 24 * 3600,
    warningQueueSize: 50_000,
  },
  // pg-boss's singleton window is a fixed time slot, so a repeat that straddles a slot boundary is
  // stored twice; the provisioner coalesces by MAC anyway, this only keeps lease storms small.
  sendOptions: (event) => ({
    singletonKey: `${event.mac}|${event.bound ? 'bound' : 'released'}|${event.ip}`,
    singletonSeconds: DHCP_LEASE_DEDUP_SECONDS,
  }),
};

import { leaseScript, RouterClient } from '@isp/routeros';

/** One lab router as the demo data registered it: its address and the ONU MACs behind it. */
export interface LabRouter {
  readonly host: string;
  readonly port: number;
  readonly identity: string;
  readonly macs: readonly string[];
}

export interface LeaseStats {
  bound: number;
  released: number;
  refused: number;
  failed: number;
}

export interface LeaseTimer {
  readonly stats: LeaseStats;
  stop(): void;
}

export interface LeaseTimerOptions {
  /** The simulator's control API, e.g. `http://127.0.0.1:8730`. */
  readonly controlUrl: string;
  readonly routers: readonly LabRouter[];
  readonly intervalMs: number;
  /** Picks a number in [0, 1); `Math.random` unless a test fixes the sequence. */
  readonly random?: () => number;
  readonly onError?: (message: string) => void;
}

// ONUs that are in no subscription yet: their leases make the "new MAC" profiles an installer
// turns into a subscription.
const UNKNOWN_ONUS_PER_ROUTER = 3;
// One tick in RELEASE_ONE_IN releases a bound lease, so the lab shows ONUs coming and going.
const RELEASE_ONE_IN = 4;

export function unknownOnuMacs(routerIndex: number): string[] {
  return Array.from({ length: UNKNOWN_ONUS_PER_ROUTER }, (_, i) =>
    `02:16:00:00:${(routerIndex + 1).toString(16).padStart(2, '0')}:${(i + 1).toString(16).padStart(2, '0')}`.toUpperCase(),
  );
}

/**
 * What an onboarding leaves on a router and the lab's factory-default routers lack: the identity
 * the demo data registered it under, and the defconf DHCP server's lease-script posting every lease
 * to the gateway. Done over the RouterOS API, as the preloader does on a real router.
 */
export async function prepareLabRouter(
  router: LabRouter,
  credentials: { readonly user: string; readonly password: string },
  gateway: { readonly url: string; readonly token: string },
): Promise<void> {
  const client = await RouterClient.connect({ host: router.host, port: router.port, ...credentials });
  try {
    await client.set('/system/identity', undefined, { name: router.identity });
    const script = leaseScript({ gatewayUrl: gateway.url, token: gateway.token, checkCertificate: false });
    for (const server of await client.print('/ip/dhcp-server', { proplist: ['.id'] })) {
      await client.set('/ip/dhcp-server', server['.id'], { 'lease-script': script });
    }
  } finally {
    await client.close();
  }
}

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
}

/**
 * Every `intervalMs`, one ONU of one lab router takes a lease through the simulator's control API
 * (`POST /routers/<router>/dhcp/bind`); every few ticks one bound ONU releases its lease. The
 * router's lease-script posts each to the gateway, so MAC profiles and the dashboard fill.
 */
export function startLeaseTimer(options: LeaseTimerOptions): LeaseTimer {
  const random = options.random ?? Math.random;
  const stats: LeaseStats = { bound: 0, released: 0, refused: 0, failed: 0 };
  const pool = options.routers.map((router, index) => ({
    router,
    macs: [...router.macs, ...unknownOnuMacs(index)],
    bound: new Set<string>(),
  }));
  let tick = 0;
  let busy = false;

  const step = async (): Promise<void> => {
    const entry = pool[Math.floor(random() * pool.length)];
    if (entry === undefined) return;
    const base = `${options.controlUrl}/routers/${entry.router.host}/dhcp`;
    tick++;
    if (tick % RELEASE_ONE_IN === 0 && entry.bound.size > 0) {
      const bound = [...entry.bound];
      const mac = bound[Math.floor(random() * bound.length)] ?? '';
      const response = await post(`${base}/release`, { mac });
      if (!response.ok) throw new Error(`release ${mac}: HTTP ${response.status}`);
      entry.bound.delete(mac);
      stats.released++;
      return;
    }
    const mac = entry.macs[Math.floor(random() * entry.macs.length)] ?? '';
    const hostname = `onu-${mac.slice(-5).replace(':', '')}`.toLowerCase();
    const response = await post(`${base}/bind`, { mac, hostname });
    if (response.ok) {
      entry.bound.add(mac);
      stats.bound++;
    } else if (response.status === 403 || response.status === 409) {
      // A suspended customer's blocked lease or a full pool: what a real router does too.
      stats.refused++;
    } else {
      throw new Error(`bind ${mac}: HTTP ${response.status} ${await response.text()}`);
    }
  };

  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    step()
      .catch((error: unknown) => {
        stats.failed++;
        options.onError?.(error instanceof Error ? error.message : String(error));
      })
      .finally(() => {
        busy = false;
      });
  }, options.intervalMs);
  return {
    stats,
    stop: () => {
      clearInterval(timer);
    },
  };
}

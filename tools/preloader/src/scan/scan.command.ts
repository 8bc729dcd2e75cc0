import type { Logger } from '@isp/logging';

import { broadcastOf, hostsOf } from '../lib/ipv4';
import { mapBounded } from '../lib/pool';
import type { Progress } from '../output';
import { identify, type Identification, type ListenerKind } from './identify';
import { watchNeighbours, type Neighbour, type NeighbourWatch } from './neighbours';
import { probePort } from './tcp-probe';

export interface ScanOptions {
  readonly subnet: string;
  readonly port: number;
  /** Sockets open at once while probing. */
  readonly concurrency: number;
  /** Per-host connect timeout, and the login handshake's. */
  readonly timeoutMs: number;
  /** UDP port to hear MNDP announcements on; undefined: do not listen. */
  readonly mndpPort: number | undefined;
  /** Keep listening for MNDP at least this long (routers announce every 30-60 s). */
  readonly mndpWaitMs: number;
}

export interface Listener extends Identification {
  readonly address: string;
  readonly port: number;
  /** What MNDP announced from (or for) this address: one entry per router heard there. */
  readonly neighbours: readonly Neighbour[];
}

export interface ScanResult {
  readonly subnet: string;
  readonly port: number;
  readonly scanned: number;
  readonly seconds: number;
  readonly listeners: readonly Listener[];
  /** Every MNDP neighbour heard, also those with no API listener found. */
  readonly neighbours: readonly Neighbour[];
}

export interface ScanDeps {
  readonly logger: Logger;
  readonly progress: Progress;
}

/** How long an accepted connection is held to catch a server that greets first. */
const GREETING_WAIT_MS = 150;

export const KIND_TEXT: Readonly<Record<ListenerKind, string>> = {
  routeros: 'RouterOS',
  'routeros-login-refused': 'RouterOS, login refused',
  closed: 'closed at once (RouterOS refusing this address, or not RouterOS)',
  'not-routeros': 'not RouterOS',
};

/** Probes every host of the subnet on the API port, identifies what answers, and hears MNDP meanwhile. */
export async function scan(options: ScanOptions, deps: ScanDeps): Promise<ScanResult> {
  const hosts = hostsOf(options.subnet);
  const started = performance.now();
  const log = deps.logger.child({ command: 'scan', subnet: options.subnet, port: options.port });
  const mndp: NeighbourWatch | undefined =
    options.mndpPort === undefined ? undefined : await watchNeighbours(options.mndpPort);
  try {
    // Routers announce every 30-60 s; a discovery request to the segment makes them answer now.
    await mndp?.solicit([broadcastOf(options.subnet)]);
    let done = 0;
    let open = 0;
    const states = await mapBounded(hosts, options.concurrency, async (host) => {
      const state = await probePort(host, options.port, options.timeoutMs, GREETING_WAIT_MS);
      done++;
      if (state === 'open' || state === 'speaks-first') open++;
      deps.progress.tick(`probed ${done}/${hosts.length}, ${open} listening`, done === hosts.length);
      return state;
    });
    const openHosts = hosts.filter((_, i) => states[i] === 'open' || states[i] === 'speaks-first');
    await mndp?.solicit(openHosts);
    log.info({ hosts: hosts.length, open: openHosts.length }, 'probe finished');
    let identified = 0;
    const identities = await mapBounded(openHosts, Math.min(options.concurrency, 32), async (host) => {
      const result: Identification =
        states[hosts.indexOf(host)] === 'speaks-first'
          ? { kind: 'not-routeros', detail: 'it spoke before the login; a RouterOS API never does' }
          : await identify(host, options.port, options.timeoutMs);
      identified++;
      deps.progress.tick(`identified ${identified}/${openHosts.length}`, identified === openHosts.length);
      return result;
    });
    const remaining = options.mndpWaitMs - (performance.now() - started);
    if (mndp !== undefined && remaining > 0) await new Promise((r) => setTimeout(r, remaining));
    const neighbours = mndp?.neighbours() ?? [];
    const listeners = openHosts.map((address, i): Listener => ({
      address,
      port: options.port,
      ...(identities[i] as Identification),
      neighbours: neighbours.filter((n) => n.from === address || n.address === address),
    }));
    const seconds = (performance.now() - started) / 1000;
    log.info({ listeners: listeners.length, neighbours: neighbours.length, seconds }, 'scan finished');
    return {
      subnet: options.subnet,
      port: options.port,
      scanned: hosts.length,
      seconds,
      listeners,
      neighbours,
    };
  } finally {
    await mndp?.close();
  }
}

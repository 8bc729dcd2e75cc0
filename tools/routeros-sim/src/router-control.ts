import { bindLease, releaseLease } from './lease-events';
import type { LeaseEvent } from './lease-events';
import type { Caller } from './menu-engine';
import { formatId } from './router-state';
import type { ChangeRecord } from './router-state';
import type { SimServer } from './sim-server';
import type { FetchRecord, SimRouter } from './sim-router';

const OBSERVER: Caller = {
  user: 'control',
  policies: new Set(['read', 'write', 'policy', 'sensitive', 'test', 'api']),
};

/** What tests and the lab operator can do to one simulated router from outside the API. */
export class RouterControl {
  constructor(
    readonly router: SimRouter,
    private readonly server: SimServer,
  ) {}

  get address(): string {
    return this.router.address;
  }

  get port(): number {
    return this.server.apiPort;
  }

  get sslPort(): number | undefined {
    return this.server.apiSslPort;
  }

  setLatency(latencyMs: number): void {
    this.router.faults.latencyMs = latencyMs;
  }

  refuseConnections(refuse: boolean): void {
    this.router.faults.refuseConnections = refuse;
  }

  /** Splits every reply into 1–7 byte writes (exercises the clients' stream decoding). */
  fragmentReplies(on: boolean): void {
    this.router.faults.fragmentReplies = on;
  }

  /** Drops the connection when `command` arrives; with `apply` the change is made first, as when a link dies before the reply. */
  dropConnectionOn(command: string, options: { times?: number; apply?: boolean } = {}): void {
    this.router.faults.drops.set(command, { remaining: options.times ?? 1, apply: options.apply ?? false });
  }

  /** Drops every open connection now. */
  dropConnections(): void {
    this.server.dropConnections();
  }

  trapCommand(command: string, message: string, category?: number): void {
    this.router.faults.traps.set(command, category === undefined ? { message } : { message, category });
  }

  clearFaults(): void {
    this.router.faults.latencyMs = 0;
    this.router.faults.refuseConnections = false;
    this.router.faults.fragmentReplies = false;
    this.router.faults.drops.clear();
    this.router.faults.traps.clear();
  }

  /** Most commands seen in flight at once since start or the last reset. */
  get maxInFlight(): number {
    return this.router.stats.maxInFlight;
  }

  resetMaxInFlight(): void {
    this.router.stats.maxInFlight = this.router.stats.inFlight;
  }

  /** Every change made, by whom and when. */
  get changes(): readonly ChangeRecord[] {
    return this.router.state.changes;
  }

  get fetches(): readonly FetchRecord[] {
    return this.router.fetches;
  }

  /** Rows of a menu as a full-policy user's print shows them. */
  rows(menu: string): Record<string, string>[] {
    return this.router.rows(menu, OBSERVER);
  }

  /** A DHCP client takes a lease; the lease-script runs in the background (await `settled()`). */
  dhcpBind(event: LeaseEvent): { id: string; address: string } | undefined {
    return bindLease(this.router, event);
  }

  dhcpRelease(event: Omit<LeaseEvent, 'ip' | 'hostname'>): boolean {
    return releaseLease(this.router, event);
  }

  /** A PPPoE client connects with a configured secret: a session appears in /ppp/active. */
  pppConnect(name: string, options: { address?: string; callerId?: string } = {}): string | undefined {
    const secret = this.router.state
      .items('/ppp/secret')
      .find((item) => item.values['name'] === name && item.values['disabled'] !== 'true');
    if (secret === undefined) return undefined;
    const session = this.router.state.insert(
      '/ppp/active',
      {
        name,
        service: 'pppoe',
        'caller-id': options.callerId ?? '',
        address: options.address ?? secret.values['remote-address'] ?? '0.0.0.0',
        'session-id': `0x${(0x81000000 + this.router.state.items('/ppp/active').length).toString(16).toUpperCase()}`,
      },
      { dynamic: true },
    );
    this.router.state.insert('/interface', { name: `<pppoe-${name}>`, type: 'pppoe-in' }, { dynamic: true });
    this.router.state.record({
      user: 'ppp',
      command: 'ppp connected',
      id: formatId(session.id),
      attributes: { name },
    });
    return formatId(session.id);
  }

  /** Waits for lease-scripts (and their fetches) still running. */
  settled(): Promise<void> {
    return this.router.settled();
  }
}

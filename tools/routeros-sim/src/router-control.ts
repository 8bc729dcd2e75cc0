import { bindLease, releaseLease } from './lease-events';
import type { BindResult, LeaseEvent } from './lease-events';
import type { Caller } from './menu-engine';
import type { ChangeRecord } from './router-state';
import type { MndpAnnouncer } from './mndp-announcer';
import type { SimServer } from './sim-server';
import type { FetchRecord, SimRouter } from './sim-router';
import { loginHotspot } from './world/hotspot-sessions';
import type { HotspotLogin, HotspotResult } from './world/hotspot-sessions';
import { judgePacket } from './world/packet-verdict';
import type { Packet, PacketVerdict } from './world/packet-verdict';
import { connectPpp, disconnectPpp } from './world/ppp-sessions';
import type { PppDialIn, PppResult } from './world/ppp-sessions';
import { RouterView } from './world/router-view';

const OBSERVER: Caller = {
  user: 'control',
  policies: new Set(['read', 'write', 'policy', 'sensitive', 'test', 'api']),
};

/** What tests and the lab operator can do to one simulated router from outside the API. */
export class RouterControl {
  constructor(
    readonly router: SimRouter,
    private readonly server: SimServer,
    private readonly mndp?: MndpAnnouncer,
  ) {}

  /** Sends an MNDP announcement now (the lab must have been started with `mndp`); false when it was not. */
  announceMndp(): boolean {
    this.mndp?.announce();
    return this.mndp !== undefined;
  }

  get address(): string {
    return this.router.address;
  }

  get identity(): string {
    return this.router.state.items('/system/identity')[0]?.values['name'] ?? '';
  }

  /** The RouterBOARD serial number (`/system/routerboard`). */
  get serial(): string {
    return this.router.state.items('/system/routerboard')[0]?.values['serial-number'] ?? '';
  }

  get version(): string {
    return this.router.options.version;
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
  dhcpBind(event: LeaseEvent): BindResult {
    return bindLease(this.router, event);
  }

  dhcpRelease(event: Omit<LeaseEvent, 'ip' | 'hostname'>): boolean {
    return releaseLease(this.router, event);
  }

  /** A PPPoE client dials in against `/ppp/secret`: on success a session appears in `/ppp/active`. */
  pppConnect(dial: PppDialIn): PppResult {
    const result = connectPpp(this.router.state, dial);
    if ('id' in result)
      this.router.state.record({
        user: 'ppp',
        command: 'ppp connected',
        id: result.id,
        attributes: { name: dial.name },
      });
    return result;
  }

  /** The PPPoE client hangs up. */
  pppDisconnect(name: string): boolean {
    return disconnectPpp(this.router.state, name);
  }

  /** A hotspot client logs in: on success its session appears in `/ip/hotspot/active`. */
  hotspotLogin(login: HotspotLogin): HotspotResult {
    return loginHotspot(this.router.state, login);
  }

  /** What the router does with a new connection from a customer (firewall, NAT, shaping). */
  packet(packet: Packet): PacketVerdict {
    return judgePacket(packet, new RouterView(this.router.state, this.router.hosts));
  }

  /** What a DNS name in an address list resolves to on this router. */
  resolveName(name: string, addresses: readonly string[]): void {
    this.router.hosts.set(name, addresses);
  }

  /** Waits for lease-scripts (and their fetches) still running. */
  settled(): Promise<void> {
    return this.router.settled();
  }
}

import { createHash } from 'node:crypto';
import dgram from 'node:dgram';

import { parsePrefix } from '@isp/routeros';

import type { SimRouter } from './sim-router';

/** Where a lab's routers send their MNDP announcements, and how often. */
export interface MndpOptions {
  readonly host: string;
  readonly port: number;
  /** Between periodic announcements; RouterOS's discover-interval default is 30 s. */
  readonly intervalMs?: number;
  /** UDP port each router listens on for discovery requests (on its own address); 5678 as on a router, 0 for a free one. */
  readonly listenPort?: number;
}

const DEFAULT_INTERVAL_MS = 30_000;
const MNDP_PORT = 5678;

// TLV types (written here independently of the decoder in @isp/routeros, which tests read them back).
const MAC = 1;
const IDENTITY = 5;
const VERSION = 7;
const PLATFORM = 8;
const UPTIME = 10;
const SOFTWARE_ID = 11;
const BOARD = 12;
const UNPACK = 14;
const IPV6 = 15;
const INTERFACE_NAME = 16;
const IPV4 = 17;

function tlv(type: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(value.length, 2);
  return Buffer.concat([head, value]);
}

function macBytes(mac: string): Buffer {
  return Buffer.from(mac.replace(/:/g, ''), 'hex');
}

/** The EUI-64 link-local address of a MAC, as the router's interface has it. */
function linkLocal(mac: Buffer): Buffer {
  const address = Buffer.alloc(16);
  address.writeUInt16BE(0xfe80, 0);
  address.set(
    [(mac[0] ?? 0) ^ 0x02, mac[1] ?? 0, mac[2] ?? 0, 0xff, 0xfe, mac[3] ?? 0, mac[4] ?? 0, mac[5] ?? 0],
    8,
  );
  return address;
}

/**
 * The router's software ID as RouterOS prints it (two groups of four letters and digits, e.g.
 * `7K3Q-M2ZD`), derived from its serial so that it stays the same across restarts.
 */
function softwareId(serial: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNPQRSTUVWXYZ';
  const digest = createHash('sha256').update(`software-id:${serial}`).digest();
  const chars = [...digest.subarray(0, 8)].map((byte) => alphabet[byte % alphabet.length] ?? '0');
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/**
 * The interface a router announces itself on: the first of `/ip/neighbor/discovery-settings`
 * `discover-interface-list` (defconf: `LAN`, the bridge); none when that list is `none`, MNDP is
 * not among its protocols or it only listens — as the hardening guides set it.
 */
function discoveryInterface(router: SimRouter): string | undefined {
  const state = router.state;
  const settings = state.items('/ip/neighbor/discovery-settings')[0]?.values ?? {};
  const list = settings['discover-interface-list'] ?? 'all';
  const protocols = (settings['protocol'] ?? 'cdp,lldp,mndp').split(',');
  if (list === 'none' || !protocols.includes('mndp') || settings['mode'] === 'rx-only') return undefined;
  const names = ['all', 'static', 'dynamic'].includes(list)
    ? state.items('/ip/address').map((item) => item.values['interface'] ?? '')
    : state
        .items('/interface/list/member')
        .filter((item) => item.values['list'] === list && item.values['disabled'] !== 'true')
        .map((item) => item.values['interface'] ?? '');
  return names[0];
}

/**
 * The announcement a router sends on `interfaceName`: that interface's MAC, name and first IPv4
 * address, plus the router's identity, version with build time, platform, uptime, software ID
 * and board.
 */
export function mndpAnnouncement(router: SimRouter, interfaceName: string, seq: number): Buffer {
  const state = router.state;
  const one = (menu: string): Readonly<Record<string, string>> => state.items(menu)[0]?.values ?? {};
  const iface = state.items('/interface').find((item) => item.values['name'] === interfaceName);
  const mac = macBytes(iface?.values['mac-address'] ?? '00:00:00:00:00:00');
  const address = state
    .items('/ip/address')
    .find((item) => item.values['interface'] === interfaceName && item.values['disabled'] !== 'true');
  const ipv4 = parsePrefix(address?.values['address'] ?? '')?.address;
  const resource = one('/system/resource');
  const routerboard = one('/system/routerboard');
  const uptime = Buffer.alloc(4);
  uptime.writeUInt32LE(router.uptimeSeconds(), 0);
  const header = Buffer.alloc(4);
  header.writeUInt16BE(seq & 0xffff, 2);
  return Buffer.concat([
    header,
    tlv(MAC, mac),
    tlv(IDENTITY, Buffer.from(one('/system/identity')['name'] ?? '')),
    tlv(VERSION, Buffer.from(`${resource['version'] ?? ''} ${resource['build-time'] ?? ''}`.trim())),
    tlv(PLATFORM, Buffer.from(resource['platform'] ?? 'MikroTik')),
    tlv(UPTIME, uptime),
    tlv(SOFTWARE_ID, Buffer.from(softwareId(routerboard['serial-number'] ?? router.address))),
    tlv(BOARD, Buffer.from(routerboard['model'] ?? resource['board-name'] ?? '')),
    tlv(UNPACK, Buffer.from([0])),
    tlv(IPV6, linkLocal(mac)),
    tlv(INTERFACE_NAME, Buffer.from(interfaceName)),
    ...(ipv4 === undefined ? [] : [tlv(IPV4, Buffer.from(ipv4.split('.').map(Number)))]),
  ]);
}

/**
 * One router's MNDP: periodic announcements to the lab's chosen host:port, and an answer to a
 * discovery request (4 zero bytes) sent to the router's address, back to whoever asked.
 */
export class MndpAnnouncer {
  private readonly socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;

  constructor(
    private readonly router: SimRouter,
    private readonly options: MndpOptions,
  ) {
    this.socket.on('error', () => undefined);
    this.socket.on('message', (datagram, remote) => {
      if (datagram.length === 4 && datagram.readUInt32BE(0) === 0) this.send(remote.address, remote.port);
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind({ address: this.router.address, port: this.options.listenPort ?? MNDP_PORT }, () => {
        this.socket.off('error', reject);
        resolve();
      });
    });
    this.announce();
    this.timer = setInterval(() => {
      this.announce();
    }, this.options.intervalMs ?? DEFAULT_INTERVAL_MS);
    this.timer.unref();
  }

  /** Sends an announcement to the lab's MNDP target now (unless discovery is off). */
  announce(): void {
    this.send(this.options.host, this.options.port);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await new Promise<void>((resolve) => {
      this.socket.close(() => {
        resolve();
      });
    });
  }

  private send(host: string, port: number): void {
    const interfaceName = discoveryInterface(this.router);
    if (interfaceName === undefined) return;
    this.seq = (this.seq + 1) & 0xffff;
    this.socket.send(mndpAnnouncement(this.router, interfaceName, this.seq), port, host);
  }
}

import dgram from 'node:dgram';

/**
 * MikroTik Neighbor Discovery Protocol (what WinBox's neighbour list shows). A router sends, on
 * UDP port 5678, a 4-byte header (2 bytes of unknown meaning, a big-endian sequence number) and
 * then TLVs: a 2-byte big-endian type, a 2-byte big-endian length, the value. Uptime is the one
 * little-endian number. A discovery request is 4 zero bytes; routers answer it with an
 * announcement. Format as Wireshark's MNDP dissector and MAC-Telnet read it.
 */
export const MNDP_PORT = 5678;

/** The discovery request: 4 zero bytes. */
export const MNDP_REQUEST: Buffer = Buffer.alloc(4);

export const MNDP_TLV = {
  macAddress: 1,
  identity: 5,
  version: 7,
  platform: 8,
  uptime: 10,
  softwareId: 11,
  board: 12,
  unpack: 14,
  ipv6Address: 15,
  interfaceName: 16,
  ipv4Address: 17,
} as const;

/** What one announcement says; a field the router left out is absent. */
export interface MndpAnnouncement {
  readonly seq: number;
  /** `AA:BB:CC:DD:EE:FF` */
  readonly macAddress?: string;
  readonly identity?: string;
  /** e.g. `7.20 (stable) 2026-01-15 10:00:00` */
  readonly version?: string;
  readonly platform?: string;
  readonly uptimeSeconds?: number;
  readonly softwareId?: string;
  readonly board?: string;
  readonly unpack?: number;
  readonly ipv6Address?: string;
  readonly interfaceName?: string;
  readonly ipv4Address?: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function formatIpv6(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  // The longest run of zero groups (two or more) becomes `::`.
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  if (best.length < 2) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

/**
 * Decodes one datagram. Returns undefined for a discovery request (no TLVs) and for anything that
 * is not a well-formed announcement (short, a TLV running past the end, a field of the wrong
 * size), so a listener can feed it whatever arrives on the port. Unknown TLVs are skipped.
 */
export function decodeMndp(datagram: Buffer): MndpAnnouncement | undefined {
  if (datagram.length < 8) return undefined;
  const result: Mutable<MndpAnnouncement> = { seq: datagram.readUInt16BE(2) };
  let offset = 4;
  let fields = 0;
  while (offset < datagram.length) {
    if (offset + 4 > datagram.length) return undefined;
    const type = datagram.readUInt16BE(offset);
    const length = datagram.readUInt16BE(offset + 2);
    const start = offset + 4;
    const end = start + length;
    if (end > datagram.length) return undefined;
    const value = datagram.subarray(start, end);
    const text = (): string => value.toString('utf8');
    switch (type) {
      case MNDP_TLV.macAddress:
        if (length !== 6) return undefined;
        result.macAddress = [...value]
          .map((byte) => byte.toString(16).padStart(2, '0').toUpperCase())
          .join(':');
        break;
      case MNDP_TLV.identity:
        result.identity = text();
        break;
      case MNDP_TLV.version:
        result.version = text();
        break;
      case MNDP_TLV.platform:
        result.platform = text();
        break;
      case MNDP_TLV.uptime:
        if (length !== 4) return undefined;
        result.uptimeSeconds = value.readUInt32LE(0);
        break;
      case MNDP_TLV.softwareId:
        result.softwareId = text();
        break;
      case MNDP_TLV.board:
        result.board = text();
        break;
      case MNDP_TLV.unpack:
        if (length !== 1) return undefined;
        result.unpack = value.readUInt8(0);
        break;
      case MNDP_TLV.ipv6Address:
        if (length !== 16) return undefined;
        result.ipv6Address = formatIpv6(value);
        break;
      case MNDP_TLV.interfaceName:
        result.interfaceName = text();
        break;
      case MNDP_TLV.ipv4Address:
        if (length !== 4) return undefined;
        result.ipv4Address = [...value].join('.');
        break;
      default:
        break;
    }
    fields++;
    offset = end;
  }
  return fields === 0 ? undefined : result;
}

/** An announcement with where it came from (the sender's address is how to reach the router). */
export interface MndpSighting {
  readonly announcement: MndpAnnouncement;
  readonly from: { readonly address: string; readonly port: number };
}

export interface MndpListenerOptions {
  /** Address to bind; default all (`0.0.0.0`). */
  readonly host?: string;
  /** Port to bind; default 5678 (0 picks a free one). */
  readonly port?: number;
  readonly onAnnouncement: (sighting: MndpSighting) => void;
}

export interface MndpListener {
  /** The bound port. */
  readonly port: number;
  /** Sends a discovery request to `host` (a router, or a broadcast address) on `port` (5678). */
  request(host: string, port?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Listens for announcements (decoded; anything else is ignored) and can ask routers to announce
 * themselves at once. Broadcast is allowed, so `request('255.255.255.255')` reaches a LAN.
 */
export async function listenMndp(options: MndpListenerOptions): Promise<MndpListener> {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  socket.on('message', (datagram, remote) => {
    const announcement = decodeMndp(datagram);
    if (announcement !== undefined)
      options.onAnnouncement({ announcement, from: { address: remote.address, port: remote.port } });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: options.host ?? '0.0.0.0', port: options.port ?? MNDP_PORT }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // A datagram that cannot be delivered must not take the process down.
  socket.on('error', () => undefined);
  socket.setBroadcast(true);
  return {
    port: socket.address().port,
    request: (host, port = MNDP_PORT) =>
      new Promise<void>((resolve, reject) => {
        socket.send(MNDP_REQUEST, port, host, (error) => {
          if (error === null) resolve();
          else reject(error);
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        socket.close(() => {
          resolve();
        });
      }),
  };
}

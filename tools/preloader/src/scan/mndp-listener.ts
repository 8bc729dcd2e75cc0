import dgram from 'node:dgram';

import { PreloaderError } from '../errors';

/** UDP port of MikroTik's neighbour discovery (what WinBox's neighbour list listens on). */
export const MNDP_PORT = 5678;

/** What the scan keeps of one announcement. */
export interface Neighbour {
  /** Source address of the announcement. */
  readonly from: string;
  readonly mac: string | undefined;
  readonly identity: string | undefined;
  readonly version: string | undefined;
  readonly board: string | undefined;
  /** The IPv4 address the router announces, if any. */
  readonly address: string | undefined;
}

export type MndpDecode = (packet: Buffer, from: string) => Neighbour | undefined;

export interface MndpListener {
  /** Every distinct neighbour heard so far (by MAC, else by source address). */
  neighbours(): Neighbour[];
  close(): Promise<void>;
}

/**
 * Listens for MNDP announcements on `port` (all addresses). Binding shares the port with other
 * listeners (WinBox, a second scan), as MNDP is broadcast to everyone on the segment.
 */
export async function listenMndp(port: number, decode: MndpDecode): Promise<MndpListener> {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  const heard = new Map<string, Neighbour>();
  socket.on('message', (packet, remote) => {
    const neighbour = decode(packet, remote.address);
    if (neighbour === undefined) return;
    heard.set(neighbour.mac ?? `${neighbour.from}/${neighbour.identity ?? ''}`, neighbour);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (error) => {
      reject(
        new PreloaderError('ISP_ERR_PRELOADER_MNDP_PORT', `cannot listen on UDP ${port}: ${error.message}`, {
          cause: error,
        }),
      );
    });
    socket.bind(port, () => {
      socket.removeAllListeners('error');
      socket.on('error', () => undefined);
      resolve();
    });
  });
  return {
    neighbours: () => [...heard.values()],
    close: () =>
      new Promise((resolve) => {
        socket.close(() => {
          resolve();
        });
      }),
  };
}

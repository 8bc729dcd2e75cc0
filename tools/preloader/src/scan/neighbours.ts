import { listenMndp, MNDP_PORT, type MndpSighting } from '@isp/routeros';

import { PreloaderError } from '../errors';

/** What the scan shows of one router heard by MNDP. */
export interface Neighbour {
  /** Where the announcement came from. */
  readonly from: string;
  readonly mac: string | undefined;
  readonly identity: string | undefined;
  readonly version: string | undefined;
  readonly board: string | undefined;
  /** The IPv4 address the router announces (factory routers: all 192.168.88.1). */
  readonly address: string | undefined;
}

export interface NeighbourWatch {
  /** Asks the routers at `hosts` (addresses or a broadcast address) to announce themselves now. */
  solicit(hosts: readonly string[]): Promise<void>;
  /** Every distinct router heard so far, by MAC. */
  neighbours(): Neighbour[];
  close(): Promise<void>;
}

function neighbourOf({ announcement, from }: MndpSighting): Neighbour {
  return {
    from: from.address,
    mac: announcement.macAddress,
    identity: announcement.identity,
    version: announcement.version,
    board: announcement.board,
    address: announcement.ipv4Address,
  };
}

/** Hears MNDP announcements on `port` for the length of a scan (the decoder is @isp/routeros's). */
export async function watchNeighbours(port: number): Promise<NeighbourWatch> {
  const heard = new Map<string, Neighbour>();
  const listener = await listenMndp({
    port,
    onAnnouncement: (sighting) => {
      const neighbour = neighbourOf(sighting);
      heard.set(neighbour.mac ?? `${neighbour.from}/${neighbour.identity ?? ''}`, neighbour);
    },
  }).catch((error: unknown) => {
    throw new PreloaderError(
      'ISP_ERR_PRELOADER_MNDP_PORT',
      `cannot listen for MNDP on UDP ${port}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  });
  return {
    solicit: async (hosts) => {
      // A request that cannot be sent (no route, broadcast refused) only means fewer answers.
      await Promise.all(hosts.map((host) => listener.request(host, MNDP_PORT).catch(() => undefined)));
    },
    neighbours: () => [...heard.values()],
    close: () => listener.close(),
  };
}

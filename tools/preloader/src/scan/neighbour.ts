import type { MndpDecode } from './mndp-listener';

/** An MNDP packet as a scan neighbour. */
export const mndpNeighbour: MndpDecode = () => undefined;

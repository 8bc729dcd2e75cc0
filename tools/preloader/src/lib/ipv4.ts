import { ipv4ToNumber, isIpv4, numberToIpv4, parsePrefix } from '@isp/routeros';

import { PreloaderError } from '../errors';

/** Largest subnet `scan` accepts: a /16 is 65,534 probes, more is a mistake, not a scan. */
export const MAX_SCAN_PREFIX = 16;

export interface Ipv4Prefix {
  readonly address: string;
  readonly length: number;
}

export function parseCidr(text: string): Ipv4Prefix | undefined {
  const prefix = parsePrefix(text.trim());
  if (prefix === undefined || !isIpv4(prefix.address) || prefix.length < 0 || prefix.length > 32)
    return undefined;
  return prefix;
}

function mask(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

export function inPrefix(address: string, prefix: Ipv4Prefix): boolean {
  if (!isIpv4(address)) return false;
  const m = mask(prefix.length);
  return (ipv4ToNumber(address) & m) >>> 0 === (ipv4ToNumber(prefix.address) & m) >>> 0;
}

/** The host addresses of a subnet (network and broadcast left out below /31), in order. */
export function hostsOf(cidr: string): string[] {
  const prefix = parseCidr(cidr);
  if (prefix === undefined)
    throw new PreloaderError(
      'ISP_ERR_PRELOADER_SUBNET',
      `${cidr} is not an IPv4 subnet like 192.168.88.0/24`,
    );
  if (prefix.length < MAX_SCAN_PREFIX)
    throw new PreloaderError(
      'ISP_ERR_PRELOADER_SUBNET',
      `${cidr} is larger than a /${MAX_SCAN_PREFIX}: scan smaller subnets`,
    );
  const network = (ipv4ToNumber(prefix.address) & mask(prefix.length)) >>> 0;
  const size = 2 ** (32 - prefix.length);
  const [first, last] = size <= 2 ? [network, network + size - 1] : [network + 1, network + size - 2];
  const hosts: string[] = [];
  for (let n = first; n <= last; n++) hosts.push(numberToIpv4(n));
  return hosts;
}

/** The broadcast address of a subnet (the address itself for a /32). */
export function broadcastOf(cidr: string): string {
  const prefix = parseCidr(cidr);
  if (prefix === undefined)
    throw new PreloaderError('ISP_ERR_PRELOADER_SUBNET', `${cidr} is not an IPv4 subnet`);
  return numberToIpv4((ipv4ToNumber(prefix.address) | ~mask(prefix.length)) >>> 0);
}

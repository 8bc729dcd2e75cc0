import { ipv4ToNumber, isIpv4, parsePrefix } from '@isp/routeros';

/**
 * Whether `address` falls in a firewall address value: a host (`10.0.0.5`), a prefix
 * (`10.0.0.0/24`) or a range (`10.0.0.5-10.0.0.9`). Anything else (a DNS name) matches nothing.
 */
export function addressIn(address: string, value: string): boolean {
  if (!isIpv4(address)) return false;
  const n = ipv4ToNumber(address);
  const dash = value.indexOf('-');
  if (dash !== -1) {
    const from = value.slice(0, dash);
    const to = value.slice(dash + 1);
    return isIpv4(from) && isIpv4(to) && n >= ipv4ToNumber(from) && n <= ipv4ToNumber(to);
  }
  const prefix = parsePrefix(value);
  if (prefix === undefined) return false;
  const size = 2 ** (32 - prefix.length);
  const start = Math.floor(ipv4ToNumber(prefix.address) / size) * size;
  return n >= start && n < start + size;
}

/** Whether `port` is in a port matcher such as `80`, `80,443` or `1000-2000,53`. */
export function portIn(port: number, value: string): boolean {
  return value.split(',').some((part) => {
    const [from = '', to = from] = part.split('-');
    return /^\d+$/.test(from) && /^\d+$/.test(to) && port >= Number(from) && port <= Number(to);
  });
}

/** Splits a matcher value into its negation and its value: `!LAN` → [true, 'LAN']. */
export function negation(value: string): readonly [boolean, string] {
  return value.startsWith('!') ? [true, value.slice(1)] : [false, value];
}

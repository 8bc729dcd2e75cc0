/**
 * Value normalisation as RouterOS applies it on write, so that what we asked for and what the
 * router reads back compare equal (`5M/20M` = `5000000/20000000`, `10.0.0.8` = `10.0.0.8/32`).
 * The simulator stores values through the same functions.
 */

const RATE = /^(\d+(?:\.\d+)?)([kKMG]?)$/;
const RATE_FACTORS: Readonly<Record<string, number>> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9 };

/** Parses a bit rate such as `20M`, `512k` or `1000000`; undefined if it is not one. */
export function parseBitRate(text: string): number | undefined {
  const match = RATE.exec(text);
  if (match === null) return undefined;
  const factor = RATE_FACTORS[match[2] ?? ''] ?? 1;
  return Math.round(Number(match[1]) * factor);
}

/** `upload/download` rate pair in bits per second; a single value applies to both directions. */
export function normaliseRatePair(text: string): string | undefined {
  const parts = text.split('/');
  if (parts.length > 2) return undefined;
  const rates = parts.map(parseBitRate);
  const [up, down = up] = rates;
  if (up === undefined || down === undefined) return undefined;
  return `${up}/${down}`;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

export function ipv4ToNumber(text: string): number {
  return text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Parses `a.b.c.d/len` (or a bare address, /32); undefined if malformed. */
export function parsePrefix(text: string): { readonly address: string; readonly length: number } | undefined {
  const [address = '', length = '32', extra] = text.split('/');
  if (extra !== undefined || !isIpv4(address) || !/^\d{1,2}$/.test(length) || Number(length) > 32)
    return undefined;
  return { address, length: Number(length) };
}

/** The network of a prefix: `10.0.0.9/24` → `10.0.0.0/24`. */
export function networkOf(address: string, length: number): string {
  // A host address is its own network (the common case: every customer's queue target).
  if (length === 32) return address;
  const size = 2 ** (32 - length);
  return numberToIpv4(Math.floor(ipv4ToNumber(address) / size) * size);
}

/** Simple-queue `target`: addresses get their prefix length (`/32` when none was given). */
export function normaliseTarget(text: string): string {
  return text
    .split(',')
    .map((part) => {
      const prefix = parsePrefix(part);
      return prefix === undefined ? part : `${networkOf(prefix.address, prefix.length)}/${prefix.length}`;
    })
    .join(',');
}

/** Address-list `address`: a /32 is stored as the bare address, other prefixes as their network. */
export function normaliseListAddress(text: string): string {
  const prefix = parsePrefix(text);
  if (prefix === undefined) return text;
  if (prefix.length === 32) return prefix.address;
  return `${networkOf(prefix.address, prefix.length)}/${prefix.length}`;
}

const DURATION_PART = /(\d+)(ms|w|d|h|m|s)/g;
const DURATION_SECONDS: Readonly<Record<string, number>> = {
  w: 604_800,
  d: 86_400,
  h: 3_600,
  m: 60,
  s: 1,
  ms: 0.001,
};

/** Seconds of a RouterOS duration such as `1w2d3h4m5s` or `00:05:00`; undefined if it is not one. */
export function parseDuration(text: string): number | undefined {
  const clock = /^(\d+):(\d\d):(\d\d)$/.exec(text);
  if (clock !== null) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  if (text === '' || text.replace(DURATION_PART, '') !== '') return undefined;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(DURATION_PART))
    seconds += Number(amount) * (DURATION_SECONDS[unit ?? 's'] ?? 0);
  return seconds;
}

/** Booleans are written yes/no (or true/false) and read back true/false. */
export function normaliseBoolean(text: string): string | undefined {
  if (text === 'yes' || text === 'true') return 'true';
  if (text === 'no' || text === 'false') return 'false';
  return undefined;
}

const MAC = /^([0-9A-Fa-f]{2})(:[0-9A-Fa-f]{2}){5}$/;

export function normaliseMac(text: string): string | undefined {
  return MAC.test(text) ? text.toUpperCase() : undefined;
}

const BOOLEAN_PROPERTIES: ReadonlySet<string> = new Set([
  'disabled',
  'dynamic',
  'block-access',
  'dont-require-permissions',
  'authoritative',
  'add-arp',
  'always-broadcast',
  'use-src-mac',
]);
const RATE_PROPERTIES: ReadonlySet<string> = new Set([
  'max-limit',
  'limit-at',
  'burst-limit',
  'burst-threshold',
]);

/**
 * Normalises one property value the way the router stores it in `menu`. Unknown properties pass
 * through unchanged, so equality stays exact for plain strings.
 */
export function normaliseValue(menu: string, property: string, value: string): string {
  if (BOOLEAN_PROPERTIES.has(property)) return normaliseBoolean(value) ?? value;
  if (menu === '/queue/simple') {
    if (RATE_PROPERTIES.has(property)) return normaliseRatePair(value) ?? value;
    if (property === 'target') return normaliseTarget(value);
  }
  if (menu === '/ip/firewall/address-list' && property === 'address') return normaliseListAddress(value);
  if (property === 'mac-address') return normaliseMac(value) ?? value;
  return value;
}

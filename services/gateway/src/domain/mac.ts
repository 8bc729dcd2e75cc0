const HEX12 = /^[0-9a-f]{12}$/i;

/**
 * Normalises the MAC notations routers and people use to `AA:BB:CC:DD:EE:FF`: colon or dash separated
 * pairs, Cisco dotted quads (`aabb.ccdd.eeff`) and bare hex. Anything else is `undefined`.
 */
export function normalizeMac(input: string): string | undefined {
  const trimmed = input.trim();
  let hex: string;
  if (/^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i.test(trimmed)) {
    hex = trimmed.replace(/[:-]/g, '');
  } else if (/^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i.test(trimmed)) {
    hex = trimmed.replace(/\./g, '');
  } else {
    hex = trimmed;
  }
  if (!HEX12.test(hex)) return undefined;
  return hex.toUpperCase().match(/../g)?.join(':');
}

import { RouterOsError } from './errors';

/** Largest length the 5-byte form can carry (0xF0 followed by a 32-bit length). */
export const MAX_WORD_LENGTH = 0xffffffff;

/** Encodes a word length in RouterOS's variable-width form (1 to 5 bytes, most significant first). */
export function encodeLength(length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > MAX_WORD_LENGTH) {
    throw new RangeError(`word length ${length} cannot be encoded`);
  }
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x4000) return Buffer.from([(length >>> 8) | 0x80, length & 0xff]);
  if (length < 0x200000) {
    return Buffer.from([(length >>> 16) | 0xc0, (length >>> 8) & 0xff, length & 0xff]);
  }
  if (length < 0x10000000) {
    return Buffer.from([
      (length >>> 24) | 0xe0,
      (length >>> 16) & 0xff,
      (length >>> 8) & 0xff,
      length & 0xff,
    ]);
  }
  const out = Buffer.alloc(5);
  out[0] = 0xf0;
  out.writeUInt32BE(length, 1);
  return out;
}

export interface DecodedLength {
  readonly length: number;
  /** How many bytes the length prefix occupied. */
  readonly size: number;
}

/**
 * Reads a length prefix at `offset`. Returns undefined when the buffer ends inside the prefix, so a
 * streaming caller can wait for more bytes. A first byte ≥ 0xF8 is a reserved control byte, which
 * the protocol says a peer cannot proceed past.
 */
export function decodeLength(buffer: Uint8Array, offset = 0): DecodedLength | undefined {
  const first = buffer[offset];
  if (first === undefined) return undefined;
  let size: number;
  if (first < 0x80) size = 1;
  else if (first < 0xc0) size = 2;
  else if (first < 0xe0) size = 3;
  else if (first < 0xf0) size = 4;
  else if (first < 0xf8) size = 5;
  else
    throw new RouterOsError('ISP_ERR_ROUTEROS_CONTROL_BYTE', {
      message: `control byte 0x${first.toString(16)}`,
    });
  if (buffer.length - offset < size) return undefined;
  const at = (i: number): number => buffer[offset + i] ?? 0;
  switch (size) {
    case 1:
      return { length: first, size };
    case 2:
      return { length: ((first & 0x3f) << 8) | at(1), size };
    case 3:
      return { length: ((first & 0x1f) << 16) | (at(1) << 8) | at(2), size };
    case 4:
      return { length: (first & 0x0f) * 0x1000000 + ((at(1) << 16) | (at(2) << 8) | at(3)), size };
    default:
      // 0xF1–0xF7 carry bits above 32 in some libraries; such lengths only ever exceed the caps.
      return {
        length: (first & 0x07) * 0x100000000 + ((at(1) << 24) >>> 0) + ((at(2) << 16) | (at(3) << 8) | at(4)),
        size,
      };
  }
}

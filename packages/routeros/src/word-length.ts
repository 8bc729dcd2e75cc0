import { RouterOsError } from './errors';

/** Largest length the 5-byte form can carry (0xF0 followed by a 32-bit length). */
export const MAX_WORD_LENGTH = 0xffffffff;

/** How many bytes the length prefix of a word of `length` bytes takes (1 to 5). */
export function lengthPrefixSize(length: number): number {
  if (!Number.isInteger(length) || length < 0 || length > MAX_WORD_LENGTH) {
    throw new RangeError(`word length ${length} cannot be encoded`);
  }
  return length < 0x80 ? 1 : length < 0x4000 ? 2 : length < 0x200000 ? 3 : length < 0x10000000 ? 4 : 5;
}

/**
 * Writes a word length in RouterOS's variable-width form (most significant byte first) into
 * `target` at `offset`; returns the offset after it.
 */
export function writeLength(length: number, target: Buffer, offset: number): number {
  const size = lengthPrefixSize(length);
  switch (size) {
    case 1:
      target[offset] = length;
      break;
    case 2:
      target[offset] = (length >>> 8) | 0x80;
      target[offset + 1] = length & 0xff;
      break;
    case 3:
      target[offset] = (length >>> 16) | 0xc0;
      target[offset + 1] = (length >>> 8) & 0xff;
      target[offset + 2] = length & 0xff;
      break;
    case 4:
      target[offset] = (length >>> 24) | 0xe0;
      target[offset + 1] = (length >>> 16) & 0xff;
      target[offset + 2] = (length >>> 8) & 0xff;
      target[offset + 3] = length & 0xff;
      break;
    default:
      target[offset] = 0xf0;
      target.writeUInt32BE(length, offset + 1);
  }
  return offset + size;
}

/** Encodes a word length in RouterOS's variable-width form (1 to 5 bytes, most significant first). */
export function encodeLength(length: number): Buffer {
  const out = Buffer.alloc(lengthPrefixSize(length));
  writeLength(length, out, 0);
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
  // Indexed reads, no helper closure: this runs for every word of every reply.
  const b1 = buffer[offset + 1] ?? 0;
  const b2 = buffer[offset + 2] ?? 0;
  const b3 = buffer[offset + 3] ?? 0;
  switch (size) {
    case 1:
      return { length: first, size };
    case 2:
      return { length: ((first & 0x3f) << 8) | b1, size };
    case 3:
      return { length: ((first & 0x1f) << 16) | (b1 << 8) | b2, size };
    case 4:
      return { length: (first & 0x0f) * 0x1000000 + ((b1 << 16) | (b2 << 8) | b3), size };
    default:
      // 0xF1–0xF7 carry bits above 32 in some libraries; such lengths only ever exceed the caps.
      return {
        length:
          (first & 0x07) * 0x100000000 +
          ((b1 << 24) >>> 0) +
          ((b2 << 16) | (b3 << 8) | (buffer[offset + 4] ?? 0)),
        size,
      };
  }
}

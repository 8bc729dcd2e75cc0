import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { decodeLength, encodeLength, MAX_WORD_LENGTH } from '../src/word-length';

const BOUNDARIES = [
  0,
  0x7f,
  0x80,
  0x3fff,
  0x4000,
  0x1fffff,
  0x200000,
  0xfffffff,
  0x10000000,
  MAX_WORD_LENGTH,
];

describe('encodeLength', () => {
  it('uses the documented width in each of the five ranges', () => {
    expect([...encodeLength(0x7f)]).toEqual([0x7f]);
    expect([...encodeLength(0x80)]).toEqual([0x80, 0x80]);
    expect([...encodeLength(0x3fff)]).toEqual([0xbf, 0xff]);
    expect([...encodeLength(0x4000)]).toEqual([0xc0, 0x40, 0x00]);
    expect([...encodeLength(0x1fffff)]).toEqual([0xdf, 0xff, 0xff]);
    expect([...encodeLength(0x200000)]).toEqual([0xe0, 0x20, 0x00, 0x00]);
    expect([...encodeLength(0xfffffff)]).toEqual([0xef, 0xff, 0xff, 0xff]);
    expect([...encodeLength(0x10000000)]).toEqual([0xf0, 0x10, 0x00, 0x00, 0x00]);
  });

  it('encodes 256 as 81 00, a zero byte inside a length', () => {
    expect([...encodeLength(256)]).toEqual([0x81, 0x00]);
  });

  it('rejects lengths that cannot be encoded', () => {
    expect(() => encodeLength(-1)).toThrow(RangeError);
    expect(() => encodeLength(MAX_WORD_LENGTH + 1)).toThrow(RangeError);
  });
});

describe('decodeLength', () => {
  it('round-trips every range boundary', () => {
    for (const length of BOUNDARIES) {
      const bytes = encodeLength(length);
      expect(decodeLength(bytes)).toEqual({ length, size: bytes.length });
    }
  });

  it('round-trips any encodable length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_WORD_LENGTH }), (length) => {
        const bytes = encodeLength(length);
        expect(decodeLength(bytes)).toEqual({ length, size: bytes.length });
        // Every proper prefix of the length bytes asks for more input.
        for (let cut = 0; cut < bytes.length; cut++)
          expect(decodeLength(bytes.subarray(0, cut))).toBeUndefined();
      }),
      { numRuns: 20_000 },
    );
  });

  it('refuses reserved control bytes', () => {
    for (const byte of [0xf8, 0xfc, 0xff]) {
      expect(() => decodeLength(Buffer.from([byte]))).toThrow(
        expect.objectContaining({ code: 'ISP_ERR_ROUTEROS_CONTROL_BYTE' }),
      );
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { SentenceDecoder } from '../src/decoder';
import { RouterOsError } from '../src/errors';
import { encodeSentence } from '../src/sentence';

const word = fc.string({ unit: 'binary', maxLength: 300 }).filter((w) => w.length > 0);
const sentence = fc.array(word, { minLength: 1, maxLength: 8 });

/** Splits bytes at the given cut points. */
function chunk(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let last = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(last, point));
    last = point;
  }
  chunks.push(bytes.subarray(last));
  return chunks;
}

function decodeAll(decoder: SentenceDecoder, chunks: readonly Buffer[]): string[][] {
  return chunks.flatMap((c) => decoder.push(c));
}

describe(SentenceDecoder.name, () => {
  describe('push', () => {
    it('decodes sentences split at any byte boundary', () => {
      fc.assert(
        fc.property(
          fc.array(sentence, { maxLength: 5 }),
          fc.array(fc.nat(), { maxLength: 20 }),
          (sentences, cuts) => {
            const bytes = Buffer.concat(sentences.map((s) => encodeSentence(s)));
            const decoder = new SentenceDecoder();
            expect(decodeAll(decoder, chunk(bytes, cuts))).toEqual(sentences);
            expect(decoder.idle).toBe(true);
          },
        ),
        { numRuns: 15_000 },
      );
    });

    it('keeps raw bytes intact in latin1 mode', () => {
      fc.assert(
        fc.property(
          fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 5 }),
          (raw) => {
            const words = raw.map((bytes) => Buffer.from(bytes).toString('latin1'));
            const decoder = new SentenceDecoder({ encoding: 'latin1' });
            const [decoded] = decoder.push(encodeSentence(words, 'latin1'));
            expect(decoded?.map((w) => [...Buffer.from(w, 'latin1')])).toEqual(
              raw.map((bytes) => [...bytes]),
            );
          },
        ),
        { numRuns: 10_000 },
      );
    });

    it('decodes UTF-8 words split inside a multi-byte character', () => {
      const bytes = encodeSentence(['!re', '=name=café €'], 'utf8');
      const decoder = new SentenceDecoder();
      const sentences = [...bytes].flatMap((byte) => decoder.push(Buffer.from([byte])));
      expect(sentences).toEqual([['!re', '=name=café €']]);
    });

    it('round-trips words at the 2-, 3- and 4-byte length boundaries', () => {
      for (const length of [0x7f, 0x80, 0x3fff, 0x4000, 0x1fffff, 0x200000]) {
        const big = 'x'.repeat(length);
        const decoder = new SentenceDecoder({
          limits: { maxWordBytes: 0x200000, maxSentenceBytes: 0x400000 },
        });
        const bytes = encodeSentence(['!re', big]);
        const sentences = decodeAll(decoder, chunk(bytes, [1, 2, 3, 1000, 70_000]));
        expect(sentences[0]?.[1]?.length).toBe(length);
      }
    });

    it('ignores empty sentences', () => {
      const decoder = new SentenceDecoder();
      expect(decoder.push(Buffer.from([0, 0, 3, 0x21, 0x72, 0x65, 0, 0]))).toEqual([['!re']]);
    });

    it('rejects a word over the cap before buffering it', () => {
      const decoder = new SentenceDecoder({ limits: { maxWordBytes: 100 } });
      expect(() => decoder.push(Buffer.from([0x80, 0xc8]))).toThrow(
        expect.objectContaining({ code: 'ISP_ERR_ROUTEROS_WORD_TOO_LONG' }),
      );
      expect(() => decoder.push(Buffer.from([0]))).toThrow(RouterOsError);
    });

    it('rejects a sentence over the word or byte caps', () => {
      const tooMany = new SentenceDecoder({ limits: { maxWords: 2 } });
      expect(() => tooMany.push(encodeSentence(['a', 'b', 'c']))).toThrow(
        expect.objectContaining({ code: 'ISP_ERR_ROUTEROS_SENTENCE_TOO_LONG' }),
      );
      const tooBig = new SentenceDecoder({ limits: { maxSentenceBytes: 10 } });
      expect(() => tooBig.push(encodeSentence(['123456', '123456']))).toThrow(
        expect.objectContaining({ code: 'ISP_ERR_ROUTEROS_SENTENCE_TOO_LONG' }),
      );
    });

    it('never throws anything but a RouterOsError and never buffers past its caps on random input', () => {
      const limits = { maxWordBytes: 512, maxSentenceBytes: 2048, maxWords: 32 };
      fc.assert(
        fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
          const decoder = new SentenceDecoder({ limits });
          try {
            for (const c of chunks) {
              for (const s of decoder.push(c)) {
                expect(s.length).toBeLessThanOrEqual(limits.maxWords);
              }
            }
          } catch (error) {
            expect(error).toBeInstanceOf(RouterOsError);
          }
        }),
        { numRuns: 20_000 },
      );
    });
  });

  describe('end', () => {
    it('reports a stream cut inside a sentence as truncated', () => {
      fc.assert(
        fc.property(sentence, fc.nat(), (words, cut) => {
          const bytes = encodeSentence(words);
          const at = cut % bytes.length;
          const decoder = new SentenceDecoder();
          expect(decoder.push(bytes.subarray(0, at))).toEqual([]);
          const end = (): void => {
            decoder.end();
          };
          if (at === 0) expect(end).not.toThrow();
          else expect(end).toThrow(expect.objectContaining({ code: 'ISP_ERR_ROUTEROS_TRUNCATED' }));
        }),
        { numRuns: 15_000 },
      );
    });
  });
});

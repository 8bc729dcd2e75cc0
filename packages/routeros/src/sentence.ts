import { lengthPrefixSize, writeLength } from './word-length';

/**
 * How words map to bytes. RouterOS treats words as bytes; the client speaks UTF-8 text, the
 * simulator keeps raw bytes (latin1 strings) so that what a client wrote reads back byte for byte.
 */
export type WordEncoding = 'utf8' | 'latin1';

/** Encodes one sentence: every word with its length prefix, then the zero-length terminator. */
export function encodeSentence(words: readonly string[], encoding: WordEncoding = 'utf8'): Buffer {
  // One allocation per sentence: the simulator encodes a sentence per printed row.
  const lengths = words.map((word) => Buffer.byteLength(word, encoding));
  let total = 1;
  for (const length of lengths) total += lengthPrefixSize(length) + length;
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  words.forEach((word, index) => {
    const length = lengths[index] ?? 0;
    offset = writeLength(length, out, offset);
    offset += out.write(word, offset, length, encoding);
  });
  out[offset] = 0;
  return out;
}

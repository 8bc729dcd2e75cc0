import { encodeLength } from './word-length';

/**
 * How words map to bytes. RouterOS treats words as bytes; the client speaks UTF-8 text, the
 * simulator keeps raw bytes (latin1 strings) so that what a client wrote reads back byte for byte.
 */
export type WordEncoding = 'utf8' | 'latin1';

/** Encodes one sentence: every word with its length prefix, then the zero-length terminator. */
export function encodeSentence(words: readonly string[], encoding: WordEncoding = 'utf8'): Buffer {
  const parts: Buffer[] = [];
  for (const word of words) {
    const bytes = Buffer.from(word, encoding);
    parts.push(encodeLength(bytes.length), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

import { RouterOsError } from './errors';
import type { WordEncoding } from './sentence';
import { decodeLength } from './word-length';

export interface DecoderLimits {
  /** Largest single word accepted, in bytes. */
  readonly maxWordBytes: number;
  /** Largest sentence accepted (sum of word bytes), in bytes. */
  readonly maxSentenceBytes: number;
  /** Most words accepted in one sentence. */
  readonly maxWords: number;
}

// A `/tool/fetch` body is at most 64 KiB and certificates a few KiB; 1 MiB leaves room without
// letting a broken peer make us buffer without bound.
export const DEFAULT_DECODER_LIMITS: DecoderLimits = {
  maxWordBytes: 1024 * 1024,
  maxSentenceBytes: 8 * 1024 * 1024,
  maxWords: 65_536,
};

/**
 * Streaming sentence decoder: feed it TCP chunks of any size; it returns every complete sentence.
 * Empty sentences (a bare terminator) are ignored, as RouterOS does. After an error the decoder is
 * unusable: the stream position is lost, so the connection must be dropped.
 */
export class SentenceDecoder {
  private readonly limits: DecoderLimits;
  private readonly encoding: WordEncoding;
  private pending: Buffer = Buffer.alloc(0);
  // Chunks not yet joined to `pending`: a large word arriving in many small reads is joined once,
  // when it is complete, instead of on every read.
  private queued: Buffer[] = [];
  private queuedBytes = 0;
  private needed = 1;
  private words: string[] = [];
  private sentenceBytes = 0;
  private failed: RouterOsError | undefined;

  constructor(options: { encoding?: WordEncoding; limits?: Partial<DecoderLimits> } = {}) {
    this.encoding = options.encoding ?? 'utf8';
    this.limits = { ...DEFAULT_DECODER_LIMITS, ...options.limits };
  }

  /** Adds bytes and returns the sentences they complete. Throws a RouterOsError on malformed input. */
  push(chunk: Uint8Array): string[][] {
    if (this.failed !== undefined) throw this.failed;
    this.queued.push(Buffer.from(chunk));
    this.queuedBytes += chunk.length;
    if (this.pending.length + this.queuedBytes < this.needed) return [];
    this.pending = Buffer.concat([this.pending, ...this.queued]);
    this.queued = [];
    this.queuedBytes = 0;
    const sentences: string[][] = [];
    let offset = 0;
    try {
      for (;;) {
        const prefix = decodeLength(this.pending, offset);
        if (prefix === undefined) {
          this.needed = this.pending.length - offset + 1;
          break;
        }
        this.check(prefix.length);
        if (this.pending.length - offset - prefix.size < prefix.length) {
          this.needed = prefix.size + prefix.length;
          break;
        }
        const start = offset + prefix.size;
        offset = start + prefix.length;
        if (prefix.length === 0) {
          if (this.words.length > 0) sentences.push(this.words);
          this.words = [];
          this.sentenceBytes = 0;
          continue;
        }
        this.words.push(this.pending.toString(this.encoding, start, offset));
        this.sentenceBytes += prefix.length;
      }
    } catch (error) {
      this.failed = error instanceof RouterOsError ? error : new RouterOsError('ISP_ERR_ROUTEROS_BAD_REPLY');
      throw this.failed;
    }
    this.pending = this.pending.subarray(offset);
    return sentences;
  }

  /** True when no partial sentence is buffered. */
  get idle(): boolean {
    return this.pending.length === 0 && this.queuedBytes === 0 && this.words.length === 0;
  }

  /** Call when the stream ends: throws if it ended inside a sentence. */
  end(): void {
    if (this.failed !== undefined) throw this.failed;
    if (!this.idle) throw new RouterOsError('ISP_ERR_ROUTEROS_TRUNCATED');
  }

  private check(wordLength: number): void {
    if (wordLength > this.limits.maxWordBytes) {
      throw new RouterOsError('ISP_ERR_ROUTEROS_WORD_TOO_LONG', {
        message: `word of ${wordLength} bytes exceeds ${this.limits.maxWordBytes}`,
      });
    }
    if (this.sentenceBytes + wordLength > this.limits.maxSentenceBytes) {
      throw new RouterOsError('ISP_ERR_ROUTEROS_SENTENCE_TOO_LONG', {
        message: `sentence exceeds ${this.limits.maxSentenceBytes} bytes`,
      });
    }
    if (wordLength > 0 && this.words.length >= this.limits.maxWords) {
      throw new RouterOsError('ISP_ERR_ROUTEROS_SENTENCE_TOO_LONG', {
        message: `sentence exceeds ${this.limits.maxWords} words`,
      });
    }
  }
}

import { parseAttributeWord, parseTagWord } from './attribute-word';
import { RouterOsError } from './errors';

export type ReplyType = 're' | 'done' | 'trap' | 'fatal' | 'empty';

const REPLY_TYPES: ReadonlySet<string> = new Set(['re', 'done', 'trap', 'fatal', 'empty']);

export interface Reply {
  readonly type: ReplyType;
  /** The `.tag` the router echoed; undefined when the command carried none. */
  readonly tag: string | undefined;
  readonly attributes: Readonly<Record<string, string>>;
  /** For `!fatal`: the bare reason word(s) that follow it. */
  readonly reason?: string;
}

/**
 * Parses one reply sentence. `.tag` may sit anywhere (devices put it second, old examples last).
 * `!fatal` carries a bare reason word, not `=message=`.
 */
export function parseReply(words: readonly string[]): Reply {
  const head = words[0];
  if (head?.startsWith('!') !== true || !REPLY_TYPES.has(head.slice(1))) {
    throw new RouterOsError('ISP_ERR_ROUTEROS_BAD_REPLY', {
      message: `unknown reply word ${JSON.stringify(head)}`,
    });
  }
  const type = head.slice(1) as ReplyType;
  let tag: string | undefined;
  const attributes: Record<string, string> = {};
  const bare: string[] = [];
  for (const word of words.slice(1)) {
    const wordTag = parseTagWord(word);
    if (wordTag !== undefined) {
      tag = wordTag;
      continue;
    }
    const attribute = parseAttributeWord(word);
    if (attribute !== undefined) {
      attributes[attribute[0]] = attribute[1];
      continue;
    }
    if (type !== 'fatal') {
      throw new RouterOsError('ISP_ERR_ROUTEROS_BAD_REPLY', {
        message: `unexpected word ${JSON.stringify(word)} in !${type}`,
      });
    }
    bare.push(word);
  }
  return type === 'fatal'
    ? { type, tag, attributes, reason: bare.join('\n') || (attributes['message'] ?? '') }
    : { type, tag, attributes };
}

import { attributeWord, parseAttributeWord, parseTagWord, tagWord } from './attribute-word';

/** A command as it travels: the command word, attributes, query words, and an optional tag. */
export interface CommandSentence {
  readonly command: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Query words without their leading `?`, in order (order matters on the query stack). */
  readonly queries: readonly string[];
  readonly tag: string | undefined;
  /** Words that fit no known form; the router rejects them. */
  readonly unknownWords: readonly string[];
}

export function commandWords(
  command: string,
  attributes: Readonly<Record<string, string>> = {},
  queries: readonly string[] = [],
  tag?: string,
): string[] {
  const words = [command];
  for (const [name, value] of Object.entries(attributes)) words.push(attributeWord(name, value));
  for (const query of queries) words.push(`?${query}`);
  if (tag !== undefined) words.push(tagWord(tag));
  return words;
}

/** Parses a sentence a client sent. Attribute words may come in any order; query order is kept. */
export function parseCommandSentence(words: readonly string[]): CommandSentence {
  const attributes: Record<string, string> = {};
  const queries: string[] = [];
  const unknownWords: string[] = [];
  let tag: string | undefined;
  for (const word of words.slice(1)) {
    const wordTag = parseTagWord(word);
    const attribute = parseAttributeWord(word);
    if (wordTag !== undefined) tag = wordTag;
    else if (attribute !== undefined) attributes[attribute[0]] = attribute[1];
    else if (word.startsWith('?')) queries.push(word.slice(1));
    else unknownWords.push(word);
  }
  return { command: words[0] ?? '', attributes, queries, tag: tag === '' ? undefined : tag, unknownWords };
}

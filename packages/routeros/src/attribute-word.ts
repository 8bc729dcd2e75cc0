/**
 * Splits an attribute word `=name=value` (value may be empty or contain `=`; `=name` alone means
 * an empty value). Returns undefined for words that are not attribute words.
 */
export function parseAttributeWord(word: string): readonly [name: string, value: string] | undefined {
  if (!word.startsWith('=') || word.length < 2) return undefined;
  const split = word.indexOf('=', 1);
  if (split === -1) return [word.slice(1), ''];
  if (split === 1) return undefined;
  return [word.slice(1, split), word.slice(split + 1)];
}

export function attributeWord(name: string, value: string): string {
  return `=${name}=${value}`;
}

const TAG_PREFIX = '.tag=';

/** Returns the tag of a `.tag=X` word, or undefined for any other word. */
export function parseTagWord(word: string): string | undefined {
  return word.startsWith(TAG_PREFIX) ? word.slice(TAG_PREFIX.length) : undefined;
}

export function tagWord(tag: string): string {
  return `${TAG_PREFIX}${tag}`;
}

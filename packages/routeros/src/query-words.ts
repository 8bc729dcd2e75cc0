/** A list with at least one element: a print query cannot express "any of nothing". */
export type NonEmpty<T> = readonly [T, ...T[]];

export function isNonEmpty<T>(values: readonly T[]): values is NonEmpty<T> {
  return values.length > 0;
}

/**
 * Print query words (without the leading `?`) that match the items whose `property` equals one of
 * `values`: an equality per value pushed on the query stack, then one `#` word OR-ing them all
 * (`#||` for three values). The router then sends only those rows instead of the whole menu.
 */
export function anyOf(property: string, values: NonEmpty<string>): string[] {
  const words = values.map((value) => `${property}=${value}`);
  if (values.length > 1) words.push(`#${'|'.repeat(values.length - 1)}`);
  return words;
}

import { describe, expect, it } from 'vitest';

import { anyOf, isNonEmpty } from '../src/query-words';

describe(anyOf.name, () => {
  it('pushes one equality per value and ORs them all with one operation word', () => {
    expect(anyOf('comment', ['isp:S1'])).toEqual(['comment=isp:S1']);
    expect(anyOf('name', ['a', 'b', 'c'])).toEqual(['name=a', 'name=b', 'name=c', '#||']);
  });
});

describe(isNonEmpty.name, () => {
  it('tells a list that can be queried from an empty one', () => {
    expect(isNonEmpty([])).toBe(false);
    expect(isNonEmpty(['a'])).toBe(true);
  });
});

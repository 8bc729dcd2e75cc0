import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { parseReply } from '../src/reply';

describe('parseReply', () => {
  it('reads .tag wherever it sits', () => {
    expect(parseReply(['!re', '.tag=10', '=.id=*A', '=name=x'])).toEqual({
      type: 're',
      tag: '10',
      attributes: { '.id': '*A', name: 'x' },
    });
    expect(parseReply(['!done', '=ret=*3', '.tag=7']).tag).toBe('7');
  });

  it('splits attribute values on the first = only and accepts =name alone', () => {
    expect(parseReply(['!re', '=data=a=b=c', '=once']).attributes).toEqual({ data: 'a=b=c', once: '' });
  });

  it('parses !empty, !trap with category, and !fatal with its bare reason', () => {
    expect(parseReply(['!empty', '.tag=a'])).toEqual({ type: 'empty', tag: 'a', attributes: {} });
    expect(parseReply(['!trap', '=category=2', '=message=interrupted']).attributes).toEqual({
      category: '2',
      message: 'interrupted',
    });
    expect(parseReply(['!fatal', 'session terminated on request'])).toMatchObject({
      type: 'fatal',
      reason: 'session terminated on request',
    });
  });

  it('rejects unknown reply words and stray words with a typed error', () => {
    for (const words of [['!bogus'], [], ['/login'], ['!re', 'stray']]) {
      expect(() => parseReply(words)).toThrow(
        expect.objectContaining({ code: 'ISP_ERR_ROUTEROS_BAD_REPLY' }),
      );
    }
  });

  it('never throws anything but its typed error on arbitrary words', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }), { maxLength: 6 }), (words) => {
        try {
          parseReply(words);
        } catch (error) {
          expect(error).toMatchObject({ code: 'ISP_ERR_ROUTEROS_BAD_REPLY' });
        }
      }),
      { numRuns: 20_000 },
    );
  });
});

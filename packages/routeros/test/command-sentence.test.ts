import { describe, expect, it } from 'vitest';

import { commandWords, parseCommandSentence } from '../src/command-sentence';

describe('parseCommandSentence', () => {
  it('inverts commandWords and keeps query order', () => {
    const words = commandWords(
      '/ip/address/print',
      { '.proplist': 'address' },
      ['type=ether', 'type=vlan', '#|'],
      't1',
    );
    expect(words).toEqual([
      '/ip/address/print',
      '=.proplist=address',
      '?type=ether',
      '?type=vlan',
      '?#|',
      '.tag=t1',
    ]);
    expect(parseCommandSentence(words)).toEqual({
      command: '/ip/address/print',
      attributes: { '.proplist': 'address' },
      queries: ['type=ether', 'type=vlan', '#|'],
      tag: 't1',
      unknownWords: [],
    });
  });

  it('treats an empty tag as no tag and collects unknown words', () => {
    expect(parseCommandSentence(['/x', '.tag=', 'bare'])).toMatchObject({
      tag: undefined,
      unknownWords: ['bare'],
    });
  });
});

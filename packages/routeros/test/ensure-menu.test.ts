import { describe, expect, it } from 'vitest';

import { ensureMenu, ownsComment, planChanges } from '../src/ensure-menu';
import type { RouterClient } from '../src/router-client';

const queue = (
  id: string,
  comment: string,
  maxLimit: string,
  target = '10.0.0.8/32',
): Record<string, string> => ({
  '.id': id,
  name: comment,
  comment,
  'max-limit': maxLimit,
  target,
});

describe('ownsComment', () => {
  it('owns the exact comment or the comment followed by a space, never a longer name', () => {
    expect(ownsComment('isp:S1', 'isp:S1')).toBe(true);
    expect(ownsComment('isp:S1', 'isp:S1 queue')).toBe(true);
    expect(ownsComment('isp:S1', 'isp:S10')).toBe(false);
    expect(ownsComment((c) => c.startsWith('isp:'), 'isp:S10')).toBe(true);
  });
});

describe('planChanges', () => {
  it('treats normalised read-backs as equal', () => {
    const plan = planChanges('/queue/simple', [queue('*1', 'isp:S1', '5000000/20000000')], 'isp:S1', [
      { name: 'isp:S1', comment: 'isp:S1', 'max-limit': '5M/20M', target: '10.0.0.8' },
    ]);
    expect(plan).toEqual({ changes: [], unchanged: 1, owned: [queue('*1', 'isp:S1', '5000000/20000000')] });
  });

  it('sets only the differing properties, removes stale owned items and adds missing ones', () => {
    const plan = planChanges(
      '/queue/simple',
      [
        queue('*1', 'isp:S1', '5000000/20000000'),
        queue('*2', 'isp:S2', '1/1'),
        queue('*3', 'foreign', '1/1'),
      ],
      (comment) => comment.startsWith('isp:'),
      [
        { comment: 'isp:S1', 'max-limit': '10M/20M', target: '10.0.0.8' },
        { comment: 'isp:S3', 'max-limit': '1M/1M', target: '10.0.0.9' },
      ],
    );
    expect(plan.changes).toEqual([
      { action: 'remove', id: '*2' },
      { action: 'set', id: '*1', attributes: { 'max-limit': '10M/20M' } },
      { action: 'add', attributes: { comment: 'isp:S3', 'max-limit': '1M/1M', target: '10.0.0.9' } },
    ]);
    expect(plan.owned.map((row) => row['.id'])).toEqual(['*1', '*2']);
  });

  it('does not compare write-only properties the router does not return', () => {
    const plan = planChanges(
      '/ppp/secret',
      [{ '.id': '*1', name: 'cust1', comment: 'isp:S1', disabled: 'false' }],
      'isp:S1',
      [{ name: 'cust1', password: 'secret', comment: 'isp:S1', disabled: 'no' }],
      ['comment'],
      ['password'],
    );
    expect(plan).toEqual({
      changes: [],
      unchanged: 1,
      owned: [{ '.id': '*1', name: 'cust1', comment: 'isp:S1', disabled: 'false' }],
    });
  });

  it('never touches foreign or dynamic items and removes owned duplicates', () => {
    const plan = planChanges(
      '/ip/firewall/address-list',
      [
        { '.id': '*1', list: 'isp-suspended', address: '10.0.0.1', comment: 'isp:S1' },
        { '.id': '*2', list: 'isp-suspended', address: '10.0.0.1', comment: 'isp:S1' },
        { '.id': '*3', list: 'isp-suspended', address: '10.0.0.2', comment: 'other' },
        { '.id': '*4', list: 'isp-suspended', address: '10.0.0.3', comment: 'isp:S1', dynamic: 'true' },
      ],
      'isp:S1',
      [{ list: 'isp-suspended', address: '10.0.0.1/32', comment: 'isp:S1' }],
    );
    expect(plan.changes).toEqual([{ action: 'remove', id: '*2' }]);
  });
});

describe('ensureMenu', () => {
  it('sends no further write batch once its signal aborts, and rejects with the reason', async () => {
    const lost = new AbortController();
    const added: string[] = [];
    // Only what ensureMenu calls: the menu is empty, so every desired item is an add.
    const router = {
      print: () => Promise.resolve([]),
      add: (_menu: string, attributes: Record<string, string>) => {
        added.push(attributes['comment'] ?? '');
        if (added.length === 2) lost.abort(new Error('router lock lost'));
        return Promise.resolve(`*${String(added.length)}`);
      },
    } as unknown as RouterClient;
    const desired = ['isp:S1', 'isp:S2', 'isp:S3', 'isp:S4'].map((comment) => ({ comment, name: comment }));

    await expect(
      ensureMenu(router, '/queue/simple', 'isp:', desired, { window: 2, signal: lost.signal }),
    ).rejects.toThrow('router lock lost');
    expect(added).toEqual(['isp:S1', 'isp:S2']);
  });
});

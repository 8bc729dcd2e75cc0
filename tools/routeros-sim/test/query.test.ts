import { describe, expect, it } from 'vitest';

import { matchesQuery } from '../src/query';

const ether = { name: 'ether1', type: 'ether', mtu: '1500' };
const vlan = { name: 'vlan9', type: 'vlan', mtu: '1500', comment: 'x' };
const bridge = { name: 'bridge', type: 'bridge', mtu: '1400' };

describe('matchesQuery', () => {
  it('matches everything with no query', () => {
    expect(matchesQuery(ether, [])).toBe(true);
  });

  it('combines with OR, AND and NOT on the stack', () => {
    const either = ['type=ether', 'type=vlan', '#|'];
    expect([ether, vlan, bridge].map((row) => matchesQuery(row, either))).toEqual([true, true, false]);
    const neither = [...either, '#!'];
    expect([ether, vlan, bridge].map((row) => matchesQuery(row, neither))).toEqual([false, false, true]);
    expect(matchesQuery(ether, ['type=ether', 'mtu=1500', '#&'])).toBe(true);
    expect(matchesQuery(ether, ['type=ether', 'mtu=1400'])).toBe(false);
  });

  it('tests presence, absence and order comparisons', () => {
    expect(matchesQuery(vlan, ['comment'])).toBe(true);
    expect(matchesQuery(ether, ['-comment'])).toBe(true);
    expect(matchesQuery(bridge, ['<mtu=1500'])).toBe(true);
    expect(matchesQuery(ether, ['>mtu=1400'])).toBe(true);
    expect(matchesQuery(vlan, ['>comment='])).toBe(true);
  });

  it('copies values by index and replaces the stack with a trailing index', () => {
    // Stack [false(type=vlan), true(name=ether1)]; "0" at the end replaces it with the top.
    expect(matchesQuery(ether, ['type=vlan', 'name=ether1', '#0'])).toBe(true);
    expect(matchesQuery(ether, ['type=vlan', 'name=ether1', '#1'])).toBe(false);
    expect(matchesQuery(ether, ['type=ether', '#0.&'])).toBe(true);
  });

  it('accepts yes/no for boolean properties', () => {
    expect(matchesQuery({ disabled: 'false' }, ['disabled=no'])).toBe(true);
  });
});

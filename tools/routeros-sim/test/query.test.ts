import { anyOf } from '@isp/routeros';
import { describe, expect, it } from 'vitest';

import { compileQuery } from '../src/query';

const matchesQuery = (row: Readonly<Record<string, string>>, queries: readonly string[]): boolean =>
  compileQuery(queries)(row);

const ether = { name: 'ether1', type: 'ether', mtu: '1500' };
const vlan = { name: 'vlan9', type: 'vlan', mtu: '1500', comment: 'x' };
const bridge = { name: 'bridge', type: 'bridge', mtu: '1400' };

describe(compileQuery.name, () => {
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

  it('selects the items whose property is any of several values, as the provisioner asks', () => {
    const rows = [ether, vlan, bridge, { name: 'wlan1', type: 'wlan' }];
    const matches = compileQuery(anyOf('type', ['vlan', 'bridge', 'wlan']));
    expect(rows.filter(matches).map((row) => row.name)).toEqual(['vlan9', 'bridge', 'wlan1']);
    expect(rows.filter(compileQuery(anyOf('name', ['ether1']))).map((row) => row.name)).toEqual(['ether1']);
  });

  it('accepts yes/no for boolean properties', () => {
    expect(matchesQuery({ disabled: 'false' }, ['disabled=no'])).toBe(true);
  });
});

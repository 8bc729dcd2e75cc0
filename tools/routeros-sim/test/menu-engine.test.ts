import { describe, expect, it } from 'vitest';

import { seedFactoryDefault } from '../src/factory-default';
import { MenuEngine } from '../src/menu-engine';
import type { Caller } from '../src/menu-engine';
import { RouterState } from '../src/router-state';

const admin: Caller = { user: 'admin', policies: new Set(['read', 'write', 'policy', 'sensitive']) };

function engine(): {
  state: RouterState;
  engine: MenuEngine;
  table: (menu: string) => NonNullable<ReturnType<RouterState['table']>>;
} {
  const state = new RouterState();
  seedFactoryDefault(state, { version: '7.20', adminPassword: '', address: '127.0.0.1' });
  return {
    state,
    engine: new MenuEngine(state),
    table: (menu) => {
      const table = state.table(menu);
      if (table === undefined) throw new Error(menu);
      return table;
    },
  };
}

describe(MenuEngine.name, () => {
  describe('add', () => {
    it('counts .id per menu in uppercase hex and checks required properties', () => {
      const { engine: e, table } = engine();
      const ids = Array.from(
        { length: 11 },
        (_, i) =>
          e.add(table('/ip/pool'), { name: `p${i}`, ranges: '10.0.0.1-10.0.0.2' }, admin).done?.['ret'],
      );
      expect(ids.at(-1)).toBe('*C');
      expect(e.add(table('/queue/simple'), { name: 'q' }, admin)).toEqual({
        traps: [{ message: 'missing value(s) of argument(s) target', category: 1 }],
      });
    });

    it('allows a duplicate when either entry is disabled', () => {
      const { engine: e, table } = engine();
      const entry = { list: 'l', address: '10.0.0.1/32' };
      expect(e.add(table('/ip/firewall/address-list'), entry, admin).done).toBeDefined();
      expect(
        e.add(table('/ip/firewall/address-list'), { ...entry, disabled: 'yes' }, admin).done,
      ).toBeDefined();
      expect(e.add(table('/ip/firewall/address-list'), entry, admin).traps?.[0]?.message).toBe(
        'failure: already have such entry',
      );
    });

    it('inserts before another item with place-before', () => {
      const { engine: e, table } = engine();
      const ret = e.add(
        table('/ip/firewall/filter'),
        { chain: 'forward', action: 'drop', 'place-before': '*1' },
        admin,
      ).done?.['ret'];
      expect(e.print(table('/ip/firewall/filter'), { '.proplist': '.id' }, [], admin).rows?.[0]).toEqual({
        '.id': ret,
      });
    });
  });

  describe('set', () => {
    it('addresses items by name where the menu has one and refuses unknown ids', () => {
      const { engine: e, table } = engine();
      expect(e.set(table('/ip/service'), { '.id': 'telnet', disabled: 'yes' }, admin)).toEqual({});
      expect(e.print(table('/ip/service'), { '.proplist': 'disabled' }, ['name=telnet'], admin).rows).toEqual(
        [{ disabled: 'true' }],
      );
      expect(
        e.set(table('/ip/service'), { '.id': 'gopher', disabled: 'yes' }, admin).traps?.[0]?.message,
      ).toBe('no such item');
    });
  });

  describe('remove', () => {
    it('removes a comma list only when every id exists', () => {
      const { engine: e, table } = engine();
      const before = e.print(table('/ip/firewall/filter'), { 'count-only': '' }, [], admin).done?.['ret'];
      expect(e.remove(table('/ip/firewall/filter'), { '.id': '*1,*FF' }, admin).traps?.[0]?.message).toBe(
        'no such item',
      );
      expect(e.remove(table('/ip/firewall/filter'), { '.id': '*1,*2' }, admin)).toEqual({});
      expect(
        Number(e.print(table('/ip/firewall/filter'), { 'count-only': '' }, [], admin).done?.['ret']),
      ).toBe(Number(before) - 2);
    });

    it('refuses to remove built-in groups', () => {
      const { engine: e, table } = engine();
      expect(e.remove(table('/user/group'), { '.id': 'read' }, admin).traps?.[0]?.message).toBe(
        'failure: can not remove default group',
      );
    });
  });
});

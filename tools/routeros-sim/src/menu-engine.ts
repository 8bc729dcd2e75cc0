import { formatId } from './router-state';
import type { RouterState, Table } from './router-state';
import { compileQuery, queriedProperties } from './query';
import { checkValue, propertiesOf } from './schema';
import type { MenuSpec, PropertySpec, SimItem } from './schema';

type Row = Record<string, string>;

export interface TrapReply {
  readonly message: string;
  readonly category?: number;
}

/** What one command produced: rows, the `!done` attributes, or traps. */
export interface Outcome {
  readonly rows?: readonly Row[];
  readonly done?: Readonly<Row>;
  readonly traps?: readonly TrapReply[];
}

export interface Caller {
  readonly user: string;
  readonly policies: ReadonlySet<string>;
}

interface Refused {
  readonly refused: Outcome;
}

const trap = (message: string, category?: number): Outcome => ({
  traps: [category === undefined ? { message } : { message, category }],
});

const PRINT_FLAGS: ReadonlySet<string> = new Set([
  '.proplist',
  'count-only',
  'detail',
  'without-paging',
  'terse',
  'stats',
  'follow',
  'follow-only',
]);

// A menu's properties never change: listed once per menu, not once per printed item.
const PROPERTY_LISTS = new WeakMap<MenuSpec, readonly (readonly [string, PropertySpec])[]>();

function propertyList(spec: MenuSpec): readonly (readonly [string, PropertySpec])[] {
  let list = PROPERTY_LISTS.get(spec);
  if (list === undefined) {
    list = Object.entries(propertiesOf(spec));
    PROPERTY_LISTS.set(spec, list);
  }
  return list;
}

/**
 * Renders an item as `print` shows it: `.id`, stored values, computed values, defaults. `only`
 * limits the properties rendered to those a command can see (its `.proplist` and query).
 */
export function printRow(
  state: RouterState,
  spec: MenuSpec,
  item: SimItem,
  caller: Caller,
  only?: ReadonlySet<string>,
): Row {
  // A singleton's one item (identity, resource, routerboard, dns…) prints without `.id`.
  const row: Row = spec.kind === 'singleton' || spec.kind === 'readonly' ? {} : { '.id': formatId(item.id) };
  const computed = spec.computed?.(item, state) ?? {};
  for (const [name, property] of propertyList(spec)) {
    if (only !== undefined && !only.has(name)) continue;
    if (property.secret === true) continue;
    if (property.sensitive === true && !caller.policies.has('sensitive')) continue;
    const value = item.values[name] ?? computed[name] ?? property.default;
    if (value === undefined || (name === 'comment' && value === '')) continue;
    row[name] = value;
  }
  if (spec.showsDynamic === true) row['dynamic'] = item.dynamic === true ? 'true' : 'false';
  return row;
}

function project(row: Row, proplist: string | undefined): Row {
  if (proplist === undefined) return row;
  const out: Row = {};
  for (const name of proplist.split(',')) {
    const value = row[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** The generic print/add/set/remove/enable/disable of every menu, with RouterOS's checks and texts. */
export class MenuEngine {
  constructor(private readonly state: RouterState) {}

  print(table: Table, attributes: Readonly<Row>, queries: readonly string[], caller: Caller): Outcome {
    for (const name of Object.keys(attributes))
      if (!PRINT_FLAGS.has(name)) return trap(`unknown parameter ${name}`);
    const matches = compileQuery(queries);
    const proplist = attributes['.proplist'];
    const only =
      proplist === undefined ? undefined : new Set([...proplist.split(','), ...queriedProperties(queries)]);
    const rows = table.items
      .map((item) => printRow(this.state, table.spec, item, caller, only))
      .filter(matches);
    if (attributes['count-only'] !== undefined) return { done: { ret: String(rows.length) } };
    return { rows: rows.map((row) => project(row, proplist)) };
  }

  add(table: Table, attributes: Readonly<Row>, caller: Caller): Outcome {
    const { spec } = table;
    if (spec.kind !== 'list' || spec.path === '/ppp/active') return trap('no such command', 0);
    const { ['place-before']: placeBefore, ...written } = attributes;
    const checked = this.checkWrite(spec, written);
    if ('refused' in checked) return checked.refused;
    for (const [name, property] of Object.entries(spec.properties)) {
      if (property.required === true && checked.values[name] === undefined)
        return trap(`missing value(s) of argument(s) ${name}`, 1);
    }
    const refusal =
      spec.validate?.(checked.values, this.state) ?? this.duplicate(table, checked.values, undefined);
    if (refusal !== undefined) return trap(refusal, 1);
    let position: number | undefined;
    if (placeBefore !== undefined) {
      const before = this.find(table, placeBefore);
      if (before === undefined) return trap('no such item', 0);
      position = table.items.indexOf(before);
    }
    if (spec.path === '/ip/firewall/address-list') {
      checked.values['creation-time'] = new Date().toISOString().slice(0, 19).replace('T', ' ');
    }
    const item = this.state.insert(
      spec.path,
      checked.values,
      checked.values['timeout'] === undefined ? {} : { dynamic: true },
      position,
    );
    spec.afterAdd?.(item, this.state);
    const id = formatId(item.id);
    this.state.record({ user: caller.user, command: `${spec.path}/add`, id, attributes });
    return { done: { ret: id } };
  }

  set(table: Table, attributes: Readonly<Row>, caller: Caller): Outcome {
    const { spec } = table;
    if (spec.kind === 'readonly') return trap('no such command', 0);
    const { ['.id']: idList, numbers, ...written } = attributes;
    const items = this.resolveTargets(table, idList ?? numbers);
    if ('refused' in items) return items.refused;
    const checked = this.checkWrite(spec, written);
    if ('refused' in checked) return checked.refused;
    for (const item of items.found) {
      const merged = { ...item.values, ...checked.values };
      const refusal = spec.validate?.(merged, this.state) ?? this.duplicate(table, merged, item);
      if (refusal !== undefined) return trap(refusal, 1);
    }
    for (const item of items.found) {
      const previous = { ...item.values };
      this.state.update(spec.path, item, checked.values);
      spec.afterSet?.(item, previous, this.state);
      this.state.record({
        user: caller.user,
        command: `${spec.path}/set`,
        id: formatId(item.id),
        attributes: written,
      });
    }
    return {};
  }

  remove(table: Table, attributes: Readonly<Row>, caller: Caller): Outcome {
    const { spec } = table;
    if (spec.kind !== 'list') return trap('no such command', 0);
    const { ['.id']: idList, numbers, ...rest } = attributes;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) return trap(`unknown parameter ${unknown}`, 1);
    const items = this.resolveTargets(table, idList ?? numbers);
    if ('refused' in items) return items.refused;
    for (const item of items.found) {
      if (item.builtin === true && spec.beforeRemove === undefined)
        return trap('failure: can not remove default item', 1);
      const refusal = spec.beforeRemove?.(item, this.state);
      if (refusal !== undefined) return trap(refusal, 1);
    }
    for (const item of items.found) {
      this.state.delete(spec.path, item);
      spec.afterRemove?.(item, this.state);
      this.state.record({
        user: caller.user,
        command: `${spec.path}/remove`,
        id: formatId(item.id),
        attributes: {},
      });
    }
    return {};
  }

  /** `enable` / `disable`: set `disabled` on the listed items. */
  toggle(table: Table, attributes: Readonly<Row>, caller: Caller, disabled: boolean): Outcome {
    if (table.spec.commentAndDisabled === false && table.spec.path !== '/ip/service')
      return trap('no such command', 0);
    return this.set(
      table,
      { '.id': attributes['.id'] ?? attributes['numbers'] ?? '', disabled: disabled ? 'yes' : 'no' },
      caller,
    );
  }

  find(table: Table, reference: string): SimItem | undefined {
    if (/^\*[0-9A-Fa-f]+$/.test(reference)) {
      const id = parseInt(reference.slice(1), 16);
      return table.items.find((item) => item.id === id);
    }
    const nameProperty = table.spec.nameProperty;
    if (nameProperty === undefined) return undefined;
    return table.items.find((item) => item.values[nameProperty] === reference);
  }

  private resolveTargets(table: Table, reference: string | undefined): { found: SimItem[] } | Refused {
    if (table.spec.kind === 'singleton') {
      const item = table.items[0];
      return item === undefined ? { refused: trap('no such item', 0) } : { found: [item] };
    }
    if (reference === undefined || reference === '') {
      return { refused: trap('missing value(s) of argument(s) numbers', 1) };
    }
    const found: SimItem[] = [];
    for (const part of reference.split(',')) {
      const item = this.find(table, part);
      if (item === undefined) return { refused: trap('no such item', 0) };
      found.push(item);
    }
    return { found };
  }

  private checkWrite(spec: MenuSpec, written: Readonly<Row>): { values: Row } | Refused {
    const properties = propertiesOf(spec);
    const values: Row = {};
    for (const [name, raw] of Object.entries(written)) {
      const property = properties[name];
      if (property === undefined || property.readOnly === true)
        return { refused: trap(`unknown parameter ${name}`, 1) };
      const checked = checkValue(name, property.type, raw, this.state);
      if (!checked.ok) return { refused: trap(checked.message, 1) };
      values[name] = checked.value;
    }
    return { values };
  }

  /** Uniqueness holds between enabled items only, as on RouterOS. */
  private duplicate(table: Table, values: Readonly<Row>, self: SimItem | undefined): string | undefined {
    if (values['disabled'] === 'true') return undefined;
    for (const rule of table.spec.unique ?? []) {
      const fold = (value: string): string => (rule.caseInsensitive === true ? value.toUpperCase() : value);
      const valueOf = (row: Readonly<Row>, name: string): string | undefined =>
        row[name] ?? table.spec.properties[name]?.default;
      const wanted = rule.properties.map((name) => valueOf(values, name));
      if (wanted.some((part) => part === undefined || rule.exempt?.includes(part) === true)) continue;
      // Plain comparisons, no per-item allocation: bulk adds check thousands of items each.
      const clash = table.items.some(
        (item) =>
          item !== self &&
          item.values['disabled'] !== 'true' &&
          item.dynamic !== true &&
          rule.properties.every((name, index) => {
            const theirs = valueOf(item.values, name);
            return theirs !== undefined && fold(theirs) === fold(wanted[index] ?? '');
          }),
      );
      if (clash) return rule.message;
    }
    return undefined;
  }
}

import { MENUS } from './menus';
import { SimError } from './errors';
import type { MenuMutator, MenuSpec, SimItem } from './schema';

export interface Table {
  readonly spec: MenuSpec;
  items: SimItem[];
  nextId: number;
}

/** One change made through the API or the control interface. */
export interface ChangeRecord {
  readonly at: string;
  readonly user: string;
  readonly command: string;
  readonly id?: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export type ItemEvent = { readonly menu: string; readonly item: SimItem; readonly dead: boolean };

export interface SerializedState {
  readonly tables: Readonly<Record<string, { readonly items: SimItem[]; readonly nextId: number }>>;
}

export function formatId(id: number): string {
  return `*${id.toString(16).toUpperCase()}`;
}

/** Every menu's items, the change log and the listeners of one simulated router. */
export class RouterState implements MenuMutator {
  readonly tables = new Map<string, Table>();
  readonly changes: ChangeRecord[] = [];
  private readonly listeners = new Set<(event: ItemEvent) => void>();

  /** `missing`: menus this router does not have (a CHR's `/system/routerboard`). */
  constructor(missing: readonly string[] = []) {
    for (const spec of MENUS.values())
      if (!missing.includes(spec.path))
        this.tables.set(spec.path, { spec, items: [], nextId: spec.firstId ?? 1 });
  }

  table(menu: string): Table | undefined {
    return this.tables.get(menu);
  }

  items(menu: string): readonly SimItem[] {
    return this.tables.get(menu)?.items ?? [];
  }

  /** Inserts an item (at `position`, or last) and returns it; used by the engine and by seeding. */
  insert(
    menu: string,
    values: Record<string, string>,
    flags: Partial<Pick<SimItem, 'dynamic' | 'builtin'>> = {},
    position?: number,
  ): SimItem {
    const table = this.mustTable(menu);
    const item: SimItem = { id: table.nextId++, values, ...flags };
    if (position === undefined) table.items.push(item);
    else table.items.splice(position, 0, item);
    this.emit({ menu, item, dead: false });
    return item;
  }

  update(menu: string, item: SimItem, values: Readonly<Record<string, string>>): void {
    Object.assign(item.values, values);
    this.emit({ menu, item, dead: false });
  }

  delete(menu: string, item: SimItem): void {
    const table = this.mustTable(menu);
    table.items = table.items.filter((candidate) => candidate !== item);
    this.emit({ menu, item, dead: true });
  }

  record(change: Omit<ChangeRecord, 'at'>): void {
    this.changes.push({ at: new Date().toISOString(), ...change });
  }

  subscribe(listener: (event: ItemEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  serialize(): SerializedState {
    const tables: Record<string, { items: SimItem[]; nextId: number }> = {};
    for (const [menu, table] of this.tables) tables[menu] = { items: table.items, nextId: table.nextId };
    return { tables };
  }

  restore(state: SerializedState): void {
    for (const [menu, saved] of Object.entries(state.tables)) {
      const table = this.tables.get(menu);
      if (table === undefined) continue;
      table.items = saved.items;
      table.nextId = saved.nextId;
    }
  }

  private mustTable(menu: string): Table {
    const table = this.tables.get(menu);
    if (table === undefined) throw new SimError('ISP_ERR_SIM_UNKNOWN_MENU', menu);
    return table;
  }

  private emit(event: ItemEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

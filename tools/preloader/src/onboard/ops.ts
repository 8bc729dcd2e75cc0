import type { RouterClient, Row } from '@isp/routeros';
import { normaliseValue } from '@isp/routeros';

/**
 * One desired piece of router configuration: the item of `menu` whose `match` properties have
 * these values must exist with `values`. Applying it reads the menu, then adds, sets or does
 * nothing, so a re-run changes only what differs.
 */
export interface EnsureOp {
  readonly kind: 'ensure';
  readonly menu: string;
  readonly match: Readonly<Record<string, string>>;
  readonly values: Readonly<Record<string, string>>;
  /** Only written when the item is added (e.g. its name when found by interface). */
  readonly addValues?: Readonly<Record<string, string>>;
  /** Never read back (passwords): written on add, and on set only when `rewrite` is true. */
  readonly writeOnly?: Readonly<Record<string, string>>;
  readonly rewrite?: boolean;
  /** How to show a value in the plan instead of the value itself (secrets, long scripts). */
  readonly display?: Readonly<Record<string, string>>;
  /** Fixed menus (`/ip/service`): the item must already exist. */
  readonly mustExist?: boolean;
  /** Firewall rules: on add, place before the first rule of this chain that is not ours. */
  readonly placeFirstIn?: { readonly chain: string; readonly ownPrefix: string };
}

/** A singleton menu (`/system/identity`) set to `values`. */
export interface SingletonOp {
  readonly kind: 'singleton';
  readonly menu: string;
  readonly values: Readonly<Record<string, string>>;
}

/** Items matching `match` must not exist (the WAN port out of the LAN bridge). */
export interface AbsentOp {
  readonly kind: 'absent';
  readonly menu: string;
  readonly match: Readonly<Record<string, string>>;
}

export type Op = EnsureOp | SingletonOp | AbsentOp;

export type OpOutcome = 'added' | 'updated' | 'removed' | 'unchanged';

export interface OpResult {
  readonly op: Op;
  readonly outcome: OpOutcome;
  /** The RouterOS command that was (or, in a dry run, would be) sent; undefined when unchanged. */
  readonly command: string | undefined;
}

// ---------------------------------------------------------------- comparing

function prefixList(value: string): string {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '')
    .map((v) => (v.includes('/') ? v : `${v}/32`))
    .sort()
    .join(',');
}

function policySet(value: string): string {
  return value
    .split(',')
    .filter((v) => v !== '' && !v.startsWith('!'))
    .sort()
    .join(',');
}

function booleanOf(value: string): boolean | undefined {
  if (value === 'yes' || value === 'true') return true;
  if (value === 'no' || value === 'false') return false;
  return undefined;
}

const ABSENT_MEANS_NO = new Set(['disabled', 'dynamic']);

/** Whether the router's value equals the desired one, as RouterOS normalises values. */
export function sameValue(
  menu: string,
  property: string,
  actual: string | undefined,
  desired: string,
): boolean {
  if (actual === undefined) {
    if (ABSENT_MEANS_NO.has(property)) return ['no', 'false'].includes(desired);
    return desired === '';
  }
  if (property === 'policy') return policySet(actual) === policySet(desired);
  const [a, d] = [booleanOf(actual), booleanOf(desired)];
  if (a !== undefined && d !== undefined) return a === d;
  if (property === 'available-from' || property === 'address' || property === 'allowed-address') {
    if (menu === '/ip/service' || menu === '/user' || menu === '/interface/wireguard/peers')
      return prefixList(actual) === prefixList(desired);
  }
  return normaliseValue(menu, property, actual) === normaliseValue(menu, property, desired);
}

function matches(menu: string, row: Row, match: Readonly<Record<string, string>>): boolean {
  return Object.entries(match).every(([key, value]) => sameValue(menu, key, row[key], value));
}

// ---------------------------------------------------------------- rendering

function quote(value: string): string {
  return /^[A-Za-z0-9_.,:/@*+-]+$/.test(value) ? value : `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

function words(
  values: Readonly<Record<string, string>>,
  display: Readonly<Record<string, string>> = {},
): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${display[key] ?? quote(value)}`)
    .join(' ');
}

function find(match: Readonly<Record<string, string>>): string {
  return `[find ${Object.entries(match)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(' ')}]`;
}

function cliMenu(menu: string): string {
  return menu.replace(/\//g, ' ').trim().replace(/^/, '/');
}

/** How an op that needed no change is shown: the item it checked. */
export function renderKept(op: Op): string {
  const menu = cliMenu(op.menu);
  switch (op.kind) {
    case 'singleton':
      return `${menu} ${words(op.values)} (already so)`;
    case 'absent':
      return `${menu} ${find(op.match)} (none, as wanted)`;
    case 'ensure':
      return `${menu} ${find(op.match)} (already as wanted)`;
  }
}

/** The RouterOS terminal command of an op, as a technician would type it; secrets shown by name. */
export function renderOp(
  op: Op,
  mode: 'add' | 'set' | 'remove' = 'add',
  changed?: Readonly<Record<string, string>>,
): string {
  const menu = cliMenu(op.menu);
  switch (op.kind) {
    case 'singleton':
      return `${menu} set ${words(op.values)}`;
    case 'absent':
      return `${menu} remove ${find(op.match)}`;
    case 'ensure': {
      const display = op.display ?? {};
      if (mode === 'set' || op.mustExist === true) {
        const values = changed ?? { ...op.values, ...(op.rewrite === true ? op.writeOnly : {}) };
        return `${menu} set ${find(op.match)} ${words(values, display)}`;
      }
      return `${menu} add ${words({ ...op.addValues, ...op.match, ...op.values, ...op.writeOnly }, display)}`;
    }
  }
}

// ---------------------------------------------------------------- applying

/** Reads a menu once per apply run; writes invalidate it. */
export class MenuCache {
  private readonly menus = new Map<string, Promise<readonly Row[]>>();

  constructor(private readonly client: RouterClient) {}

  rows(menu: string): Promise<readonly Row[]> {
    let rows = this.menus.get(menu);
    if (rows === undefined) {
      rows = this.client.print(menu);
      this.menus.set(menu, rows);
    }
    return rows;
  }

  invalidate(menu: string): void {
    this.menus.delete(menu);
  }
}

function staticRows(rows: readonly Row[]): Row[] {
  return rows.filter((row) => row['dynamic'] !== 'true');
}

/** What an op would change on this router (`dryRun`), or changes it. */
export async function applyOp(
  client: RouterClient,
  cache: MenuCache,
  op: Op,
  dryRun: boolean,
): Promise<OpResult> {
  if (op.kind === 'singleton') {
    const [row] = await cache.rows(op.menu);
    const changed = Object.fromEntries(
      Object.entries(op.values).filter(([k, v]) => !sameValue(op.menu, k, row?.[k], v)),
    );
    if (Object.keys(changed).length === 0) return { op, outcome: 'unchanged', command: undefined };
    if (!dryRun) {
      await client.set(op.menu, undefined, changed);
      cache.invalidate(op.menu);
    }
    return { op, outcome: 'updated', command: `${cliMenu(op.menu)} set ${words(changed)}` };
  }
  const rows = staticRows(await cache.rows(op.menu)).filter((row) => matches(op.menu, row, op.match));
  if (op.kind === 'absent') {
    if (rows.length === 0) return { op, outcome: 'unchanged', command: undefined };
    if (!dryRun) {
      await client.remove(
        op.menu,
        rows.map((row) => row['.id'] ?? ''),
      );
      cache.invalidate(op.menu);
    }
    return { op, outcome: 'removed', command: renderOp(op) };
  }
  const [row] = rows;
  if (row === undefined) {
    if (op.mustExist === true) throw new Error(`${cliMenu(op.menu)} has no item ${find(op.match)}`);
    if (!dryRun) {
      const placeBefore = op.placeFirstIn === undefined ? undefined : await firstForeignRule(cache, op);
      await client.add(op.menu, {
        ...op.addValues,
        ...op.match,
        ...op.values,
        ...op.writeOnly,
        ...(placeBefore === undefined ? {} : { 'place-before': placeBefore }),
      });
      cache.invalidate(op.menu);
    }
    return { op, outcome: 'added', command: renderOp(op, 'add') };
  }
  const changed: Record<string, string> = Object.fromEntries(
    Object.entries(op.values).filter(([k, v]) => !sameValue(op.menu, k, row[k], v)),
  );
  const rewrite = op.rewrite === true ? (op.writeOnly ?? {}) : {};
  if (Object.keys(changed).length === 0 && Object.keys(rewrite).length === 0)
    return { op, outcome: 'unchanged', command: undefined };
  if (!dryRun) {
    await client.set(op.menu, row['.id'], { ...changed, ...rewrite });
    cache.invalidate(op.menu);
  }
  return { op, outcome: 'updated', command: renderOp(op, 'set', { ...changed, ...rewrite }) };
}

async function firstForeignRule(cache: MenuCache, op: EnsureOp): Promise<string | undefined> {
  const place = op.placeFirstIn;
  if (place === undefined) return undefined;
  const rows = staticRows(await cache.rows(op.menu));
  const foreign = rows.find(
    (row) => row['chain'] === place.chain && !(row['comment'] ?? '').startsWith(place.ownPrefix),
  );
  return foreign?.['.id'];
}

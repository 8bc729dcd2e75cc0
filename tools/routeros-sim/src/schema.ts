import { isWireguardKey } from './wireguard-keys';
import {
  isIpv4,
  normaliseBoolean,
  normaliseListAddress,
  normaliseMac,
  normaliseRatePair,
  normaliseTarget,
  parsePrefix,
} from '@isp/routeros';

/** How a property's value is checked and stored on write. */
export type ValueType =
  | { readonly kind: 'string' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'ip' }
  | { readonly kind: 'prefix' }
  | { readonly kind: 'prefix-list' }
  | { readonly kind: 'list-address' }
  | { readonly kind: 'target' }
  | { readonly kind: 'rate-pair' }
  | { readonly kind: 'mac' }
  | { readonly kind: 'duration' }
  | { readonly kind: 'ip-ranges' }
  /** The name of an item in another menu (or one of `extra`); `label` is RouterOS's word for it. */
  | {
      readonly kind: 'ref';
      readonly menu: string;
      readonly label: string;
      readonly extra?: readonly string[];
    }
  /** A policy list; `complete`: stored as a user group's is, every policy listed, `!` for those not granted. */
  | { readonly kind: 'policy'; readonly complete?: boolean }
  /** A WireGuard key: 32 bytes in base64. */
  | { readonly kind: 'wg-key' };

export interface PropertySpec {
  readonly type: ValueType;
  /** Printed when the item has no value of its own. */
  readonly default?: string;
  readonly required?: boolean;
  /** Set by the router only; writing it is an unknown parameter. */
  readonly readOnly?: boolean;
  /** Never printed (user passwords). */
  readonly secret?: boolean;
  /** Printed only to users with the `sensitive` policy (ppp secret passwords). */
  readonly sensitive?: boolean;
}

export interface UniqueRule {
  readonly properties: readonly string[];
  readonly message: string;
  readonly caseInsensitive?: boolean;
  /** Values that never clash (a lease's `0.0.0.0` means "any address from the pool"). */
  readonly exempt?: readonly string[];
}

export interface SimItem {
  id: number;
  values: Record<string, string>;
  /** Created by the router itself (leases of clients, ppp sessions); `dynamic=true` on print. */
  dynamic?: boolean;
  /** Shipped with the router and not removable (built-in groups, services). */
  builtin?: boolean;
}

/** Lets a menu consult the others (references, computed values, removal checks). */
export interface MenuContext {
  items(menu: string): readonly SimItem[];
}

/** What a menu's side effects may do to the other menus. */
export interface MenuMutator extends MenuContext {
  insert(
    menu: string,
    values: Record<string, string>,
    flags?: Partial<Pick<SimItem, 'dynamic' | 'builtin'>>,
  ): SimItem;
  update(menu: string, item: SimItem, values: Readonly<Record<string, string>>): void;
  delete(menu: string, item: SimItem): void;
}

export interface MenuSpec {
  readonly path: string;
  readonly properties: Readonly<Record<string, PropertySpec>>;
  /**
   * `list`: add/set/remove; `fixed`: set only; `singleton`: one item, set without id; `readonly`:
   * one item the router maintains, print only. The one item of a singleton or readonly menu
   * prints without `.id`, as on RouterOS.
   */
  readonly kind: 'list' | 'fixed' | 'singleton' | 'readonly';
  /** Property by which `.id` may also name an item (`=.id=ether1`). */
  readonly nameProperty?: string;
  readonly unique?: readonly UniqueRule[];
  /** Whether items carry `comment` and `disabled` (nearly every menu does). */
  readonly commentAndDisabled?: boolean;
  /** Prints `dynamic=true|false`. */
  readonly showsDynamic?: boolean;
  /** Policy needed, besides `write`, to change this menu. */
  readonly writePolicy?: string;
  /** Values the router derives on read. */
  readonly computed?: (item: SimItem, context: MenuContext) => Record<string, string>;
  /** A refusal message, or undefined to allow. */
  readonly beforeRemove?: (item: SimItem, context: MenuContext) => string | undefined;
  /** Value check across properties; a refusal message or undefined. */
  readonly validate?: (values: Readonly<Record<string, string>>, context: MenuContext) => string | undefined;
  readonly firstId?: number;
  /** Side effects elsewhere after an add, a set or a removal (a bridge is also an interface). */
  readonly afterAdd?: (item: SimItem, state: MenuMutator) => void;
  readonly afterSet?: (item: SimItem, previous: Readonly<Record<string, string>>, state: MenuMutator) => void;
  readonly afterRemove?: (item: SimItem, state: MenuMutator) => void;
}

export const COMMON_PROPERTIES: Readonly<Record<string, PropertySpec>> = {
  comment: { type: { kind: 'string' } },
  disabled: { type: { kind: 'bool' }, default: 'false' },
};

export function propertiesOf(spec: MenuSpec): Readonly<Record<string, PropertySpec>> {
  return spec.commentAndDisabled === false ? spec.properties : { ...spec.properties, ...COMMON_PROPERTIES };
}

const DURATION = /^(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$|^\d+(:\d\d){1,2}$|^none$/;

const POLICIES: ReadonlySet<string> = new Set([
  'local',
  'telnet',
  'ssh',
  'ftp',
  'reboot',
  'read',
  'write',
  'policy',
  'test',
  'winbox',
  'password',
  'web',
  'sniff',
  'sensitive',
  'api',
  'romon',
  'rest-api',
]);

/** The outcome of checking one written value: the stored form, or the router's refusal text. */
export type Checked =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string };

const invalid = (name: string): Checked => ({ ok: false, message: `invalid value for argument ${name}` });

/** Checks and normalises one written value as RouterOS would store it. */
export function checkValue(name: string, type: ValueType, value: string, context: MenuContext): Checked {
  const ok = (stored: string): Checked => ({ ok: true, value: stored });
  switch (type.kind) {
    case 'string':
      return ok(value);
    case 'bool': {
      const bool = normaliseBoolean(value);
      return bool === undefined ? invalid(name) : ok(bool);
    }
    case 'int': {
      if (!/^-?\d+$/.test(value)) return invalid(name);
      const number = Number(value);
      if (number < type.min || number > type.max) {
        return { ok: false, message: `value of ${name} out of range (${type.min}..${type.max})` };
      }
      return ok(String(number));
    }
    case 'enum':
      return type.values.includes(value) ? ok(value) : invalid(name);
    case 'ip':
      return isIpv4(value) ? ok(value) : invalid(name);
    case 'prefix':
      return parsePrefix(value) === undefined
        ? invalid(name)
        : ok(value.includes('/') ? value : `${value}/32`);
    case 'prefix-list':
      return value === '' || value.split(',').every((part) => parsePrefix(part) !== undefined)
        ? ok(value)
        : invalid(name);
    case 'list-address':
      return ok(normaliseListAddress(value));
    case 'target':
      return value === '' ? invalid(name) : ok(normaliseTarget(value));
    case 'rate-pair': {
      const pair = normaliseRatePair(value);
      return pair === undefined ? invalid(name) : ok(pair);
    }
    case 'mac': {
      const mac = normaliseMac(value);
      return mac === undefined ? invalid(name) : ok(mac);
    }
    case 'duration':
      // A bare number is seconds, as RouterOS reads it.
      if (/^\d+$/.test(value)) return ok(`${Number(value)}s`);
      return DURATION.test(value) ? ok(value) : invalid(name);
    case 'ip-ranges': {
      const good = value.split(',').every((range) => {
        const [from = '', to, extra] = range.split('-');
        if (extra !== undefined) return false;
        if (to === undefined) return parsePrefix(from) !== undefined;
        return isIpv4(from) && isIpv4(to);
      });
      return good ? ok(value) : invalid(name);
    }
    case 'ref': {
      if (type.extra?.includes(value) === true) return ok(value);
      const found = context.items(type.menu).some((item) => item.values['name'] === value);
      return found ? ok(value) : { ok: false, message: `input does not match any value of ${type.label}` };
    }
    case 'wg-key':
      return isWireguardKey(value) ? ok(value) : invalid(name);
    case 'policy': {
      const entries = value === '' ? [] : value.split(',');
      const good = entries.every((policy) => POLICIES.has(policy.replace(/^!/, '')));
      if (!good) return invalid(name);
      if (type.complete !== true) return ok(value);
      // RouterOS lists the granted policies in its own order, then every other one negated.
      const granted = new Set(entries.filter((policy) => !policy.startsWith('!')));
      const order = [...POLICIES];
      return ok(
        [
          ...order.filter((policy) => granted.has(policy)),
          ...order.filter((policy) => !granted.has(policy)).map((p) => `!${p}`),
        ].join(','),
      );
    }
  }
}

import type { MenuMutator, MenuSpec, SimItem } from '../schema';
import { generatePrivateKey, publicKeyOf } from '../wireguard-keys';

// A bridge (a WireGuard interface) is also an interface: /interface shows it, references to it
// resolve, and it goes with it.
function interfaceOf(
  type: string,
  values: Readonly<Record<string, string>>,
  state: MenuMutator,
): SimItem | undefined {
  return state
    .items('/interface')
    .find((item) => item.values['type'] === type && item.values['name'] === values['name']);
}

/** add/set/remove hooks that keep the `/interface` entry of a `type` interface in step. */
function alsoAnInterface(type: string): Pick<MenuSpec, 'afterAdd' | 'afterSet' | 'afterRemove'> {
  return {
    afterAdd: (item, state) => {
      state.insert('/interface', { name: item.values['name'] ?? '', type });
    },
    afterSet: (item, previous, state) => {
      const iface = interfaceOf(type, previous, state);
      if (iface !== undefined) state.update('/interface', iface, { name: item.values['name'] ?? '' });
    },
    afterRemove: (item, state) => {
      const iface = interfaceOf(type, item.values, state);
      if (iface !== undefined) state.delete('/interface', iface);
    },
  };
}

const str = { type: { kind: 'string' } } as const;
const ro = { type: { kind: 'string' }, readOnly: true } as const;
const bool = (value: string) => ({ type: { kind: 'bool' }, default: value }) as const;

export const interfaceMenus: readonly MenuSpec[] = [
  {
    path: '/interface',
    kind: 'fixed',
    nameProperty: 'name',
    unique: [{ properties: ['name'], message: 'failure: interface with such name exists' }],
    properties: {
      name: { ...str, required: true },
      'default-name': ro,
      type: ro,
      mtu: { type: { kind: 'int', min: 0, max: 65535 }, default: '1500' },
      'actual-mtu': { ...ro, default: '1500' },
      'mac-address': ro,
      running: { ...ro, default: 'true' },
      'rx-byte': { ...ro, default: '0' },
      'tx-byte': { ...ro, default: '0' },
      'rx-packet': { ...ro, default: '0' },
      'tx-packet': { ...ro, default: '0' },
    },
    showsDynamic: true,
  },
  {
    path: '/interface/bridge',
    kind: 'list',
    nameProperty: 'name',
    unique: [{ properties: ['name'], message: 'failure: interface with such name exists' }],
    properties: {
      name: { ...str, required: true },
      'admin-mac': { type: { kind: 'string' }, default: '' },
      'auto-mac': bool('true'),
      'protocol-mode': { type: { kind: 'enum', values: ['none', 'rstp', 'stp', 'mstp'] }, default: 'rstp' },
      'vlan-filtering': bool('false'),
      mtu: { type: { kind: 'string' }, default: 'auto' },
      'mac-address': ro,
      running: { ...ro, default: 'true' },
    },
    ...alsoAnInterface('bridge'),
  },
  {
    path: '/interface/wireguard',
    kind: 'list',
    nameProperty: 'name',
    unique: [{ properties: ['name'], message: 'failure: interface with such name exists' }],
    properties: {
      name: { ...str, required: true },
      'listen-port': { type: { kind: 'int', min: 1, max: 65535 }, default: '13231' },
      mtu: { type: { kind: 'int', min: 1, max: 65535 }, default: '1420' },
      // Generated on add when not given; shown to users with the `sensitive` policy only.
      'private-key': { type: { kind: 'wg-key' }, sensitive: true },
      'public-key': ro,
      running: { ...ro, default: 'true' },
    },
    computed: (item): Record<string, string> => {
      const key = item.values['private-key'];
      return key === undefined ? {} : { 'public-key': publicKeyOf(key) };
    },
    ...alsoAnInterface('wg'),
    afterAdd: (item, state) => {
      if (item.values['private-key'] === undefined)
        state.update('/interface/wireguard', item, { 'private-key': generatePrivateKey() });
      state.insert('/interface', { name: item.values['name'] ?? '', type: 'wg' });
    },
  },
  {
    path: '/interface/wireguard/peers',
    kind: 'list',
    unique: [
      {
        properties: ['interface', 'public-key'],
        message: 'failure: peer with such public key already exists on this interface',
      },
    ],
    properties: {
      interface: {
        type: { kind: 'ref', menu: '/interface/wireguard', label: 'interface' },
        required: true,
      },
      'public-key': { type: { kind: 'wg-key' }, required: true },
      'preshared-key': { type: { kind: 'wg-key' }, sensitive: true },
      'endpoint-address': { type: { kind: 'string' }, default: '' },
      'endpoint-port': { type: { kind: 'int', min: 0, max: 65535 }, default: '0' },
      'allowed-address': { type: { kind: 'prefix-list' }, default: '' },
      'persistent-keepalive': { type: { kind: 'duration' } },
      'current-endpoint-address': { ...ro, default: '' },
      'current-endpoint-port': { ...ro, default: '0' },
      rx: { ...ro, default: '0' },
      tx: { ...ro, default: '0' },
    },
  },
  {
    path: '/interface/bridge/port',
    kind: 'list',
    unique: [{ properties: ['interface'], message: 'failure: device already added as bridge port' }],
    properties: {
      interface: { type: { kind: 'ref', menu: '/interface', label: 'interface' }, required: true },
      bridge: { type: { kind: 'ref', menu: '/interface/bridge', label: 'bridge' }, required: true },
      pvid: { type: { kind: 'int', min: 1, max: 4094 }, default: '1' },
      hw: bool('true'),
    },
  },
  {
    path: '/interface/list',
    kind: 'list',
    nameProperty: 'name',
    unique: [{ properties: ['name'], message: 'failure: interface list with such name already exists' }],
    properties: {
      name: { ...str, required: true },
      include: { type: { kind: 'string' }, default: '' },
      exclude: { type: { kind: 'string' }, default: '' },
      builtin: { ...ro, default: 'false' },
    },
    computed: (item) => ({ builtin: item.builtin === true ? 'true' : 'false' }),
  },
  {
    path: '/interface/list/member',
    kind: 'list',
    unique: [{ properties: ['list', 'interface'], message: 'failure: already have such member' }],
    showsDynamic: true,
    properties: {
      list: { type: { kind: 'ref', menu: '/interface/list', label: 'list' }, required: true },
      interface: { type: { kind: 'ref', menu: '/interface', label: 'interface' }, required: true },
    },
  },
];

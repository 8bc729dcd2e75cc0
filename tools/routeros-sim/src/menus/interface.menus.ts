import type { MenuMutator, MenuSpec, SimItem } from '../schema';

// A bridge is also an interface: /interface shows it, references to it resolve, and it goes with it.
function interfaceOf(bridge: Readonly<Record<string, string>>, state: MenuMutator): SimItem | undefined {
  return state
    .items('/interface')
    .find((item) => item.values['type'] === 'bridge' && item.values['name'] === bridge['name']);
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
    afterAdd: (item, state) => {
      state.insert('/interface', { name: item.values['name'] ?? '', type: 'bridge' });
    },
    afterSet: (item, previous, state) => {
      const iface = interfaceOf(previous, state);
      if (iface !== undefined) state.update('/interface', iface, { name: item.values['name'] ?? '' });
    },
    afterRemove: (item, state) => {
      const iface = interfaceOf(item.values, state);
      if (iface !== undefined) state.delete('/interface', iface);
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

import type { MenuSpec, PropertySpec } from '../schema';

const text: PropertySpec = { type: { kind: 'string' } };
const ro: PropertySpec = { type: { kind: 'string' }, readOnly: true };

const ruleProperties = (actions: readonly string[]): Readonly<Record<string, PropertySpec>> => ({
  chain: { type: { kind: 'string' }, required: true },
  action: { type: { kind: 'enum', values: actions }, default: 'accept' },
  'src-address': text,
  'dst-address': text,
  'src-address-list': text,
  'dst-address-list': text,
  protocol: text,
  'src-port': text,
  'dst-port': text,
  'in-interface': text,
  'out-interface': text,
  'in-interface-list': text,
  'out-interface-list': text,
  'connection-state': text,
  'connection-nat-state': text,
  'ipsec-policy': text,
  'to-addresses': text,
  'to-ports': text,
  'reject-with': text,
  'hw-offload': { type: { kind: 'bool' } },
  log: { type: { kind: 'bool' }, default: 'false' },
  'log-prefix': { type: { kind: 'string' }, default: '' },
  bytes: { ...ro, default: '0' },
  packets: { ...ro, default: '0' },
  invalid: { ...ro, default: 'false' },
});

export const firewallMenus: readonly MenuSpec[] = [
  {
    path: '/ip/firewall/address-list',
    kind: 'list',
    showsDynamic: true,
    unique: [{ properties: ['list', 'address'], message: 'failure: already have such entry' }],
    properties: {
      list: { type: { kind: 'string' }, required: true },
      address: { type: { kind: 'list-address' }, required: true },
      timeout: { type: { kind: 'duration' } },
      'creation-time': ro,
    },
  },
  {
    path: '/ip/firewall/filter',
    kind: 'list',
    showsDynamic: true,
    properties: ruleProperties([
      'accept',
      'drop',
      'reject',
      'fasttrack-connection',
      'jump',
      'return',
      'log',
      'passthrough',
      'add-src-to-address-list',
      'add-dst-to-address-list',
      'tarpit',
    ]),
  },
  {
    path: '/ip/firewall/nat',
    kind: 'list',
    showsDynamic: true,
    properties: ruleProperties([
      'accept',
      'masquerade',
      'src-nat',
      'dst-nat',
      'redirect',
      'netmap',
      'same',
      'jump',
      'return',
      'log',
      'passthrough',
    ]),
  },
];

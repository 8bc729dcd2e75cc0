import type { MenuSpec } from '../schema';
import { applyLeaseEffects, clearLeaseEffects } from '../world/lease-effects';

const str = { type: { kind: 'string' } } as const;
const ro = { type: { kind: 'string' }, readOnly: true } as const;
const bool = (value: string) => ({ type: { kind: 'bool' }, default: value }) as const;

export const dhcpMenus: readonly MenuSpec[] = [
  {
    path: '/ip/dhcp-server',
    kind: 'list',
    nameProperty: 'name',
    unique: [{ properties: ['name'], message: 'failure: server with such name already exists' }],
    showsDynamic: true,
    properties: {
      name: { ...str, required: true },
      interface: { type: { kind: 'ref', menu: '/interface', label: 'interface' }, required: true },
      'address-pool': {
        type: { kind: 'ref', menu: '/ip/pool', label: 'address-pool', extra: ['static-only'] },
        default: 'static-only',
      },
      'lease-time': { type: { kind: 'duration' }, default: '30m' },
      'lease-script': { type: { kind: 'string' }, default: '' },
      'address-lists': { type: { kind: 'string' }, default: '' },
      authoritative: {
        type: { kind: 'enum', values: ['after-10sec-delay', 'after-2sec-delay', 'yes', 'no'] },
        default: 'yes',
      },
      'add-arp': bool('false'),
      'use-radius': { type: { kind: 'enum', values: ['no', 'yes', 'accounting'] }, default: 'no' },
      'conflict-detection': bool('true'),
      'client-mac-limit': { type: { kind: 'string' }, default: 'unlimited' },
      'parent-queue': { type: { kind: 'string' }, default: 'none' },
      relay: { type: { kind: 'string' }, default: '0.0.0.0' },
      'add-dns-entries': bool('false'),
      'add-dns-entries-suffix': { type: { kind: 'string' }, default: 'lan' },
      invalid: { ...ro, default: 'false' },
    },
  },
  {
    path: '/ip/dhcp-server/network',
    kind: 'list',
    unique: [{ properties: ['address'], message: 'failure: such network already exists' }],
    showsDynamic: true,
    properties: {
      address: { type: { kind: 'prefix' }, required: true },
      gateway: { type: { kind: 'string' }, default: '' },
      netmask: { type: { kind: 'int', min: 0, max: 32 } },
      'dns-server': { type: { kind: 'string' }, default: '' },
      domain: { type: { kind: 'string' } },
      'ntp-server': { type: { kind: 'string' } },
    },
  },
  {
    path: '/ip/dhcp-server/lease',
    kind: 'list',
    showsDynamic: true,
    unique: [
      {
        properties: ['mac-address', 'server'],
        message: 'failure: already have static lease for this client',
        caseInsensitive: true,
      },
      {
        properties: ['address'],
        message: 'failure: already have static lease with this IP address',
        exempt: ['0.0.0.0'],
      },
    ],
    properties: {
      address: { type: { kind: 'string' }, default: '0.0.0.0' },
      'mac-address': { type: { kind: 'mac' } },
      'client-id': { type: { kind: 'string' } },
      server: { type: { kind: 'ref', menu: '/ip/dhcp-server', label: 'server', extra: ['all'] } },
      'block-access': bool('false'),
      'rate-limit': { type: { kind: 'string' } },
      'address-lists': { type: { kind: 'string' } },
      'lease-time': { type: { kind: 'duration' }, default: '0s' },
      'always-broadcast': bool('false'),
      'use-src-mac': bool('false'),
      'insert-queue-before': { type: { kind: 'string' } },
      'parent-queue': { type: { kind: 'string' } },
      'queue-type': { type: { kind: 'string' } },
      status: { ...ro, default: 'waiting' },
      'last-seen': { ...ro, default: 'never' },
      'active-address': ro,
      'active-mac-address': ro,
      'active-client-id': ro,
      'active-server': ro,
      'host-name': ro,
      'expires-after': ro,
      blocked: { ...ro, default: 'false' },
      radius: { ...ro, default: 'false' },
    },
    // Modelled choice: a change to a bound lease's rate-limit or address-lists applies at once.
    afterSet: (item, _previous, state) => {
      applyLeaseEffects(state, item);
    },
    afterRemove: (item, state) => {
      clearLeaseEffects(state, item);
    },
  },
];

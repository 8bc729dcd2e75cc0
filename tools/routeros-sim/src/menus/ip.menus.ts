import { networkOf, parsePrefix } from '@isp/routeros';

import type { MenuSpec } from '../schema';

const str = { type: { kind: 'string' } } as const;
const ro = { type: { kind: 'string' }, readOnly: true } as const;
const iface = { type: { kind: 'ref', menu: '/interface', label: 'interface' } } as const;

export const ipMenus: readonly MenuSpec[] = [
  {
    path: '/ip/address',
    kind: 'list',
    unique: [{ properties: ['address', 'interface'], message: 'failure: already have such address' }],
    showsDynamic: true,
    properties: {
      address: { type: { kind: 'prefix' }, required: true },
      network: ro,
      interface: { ...iface, required: true },
      'actual-interface': ro,
      invalid: { ...ro, default: 'false' },
    },
    computed: (item) => {
      const prefix = parsePrefix(item.values['address'] ?? '');
      return {
        ...(prefix === undefined ? {} : { network: networkOf(prefix.address, prefix.length) }),
        'actual-interface': item.values['interface'] ?? '',
      };
    },
  },
  {
    path: '/ip/pool',
    kind: 'list',
    nameProperty: 'name',
    unique: [{ properties: ['name'], message: 'failure: pool with such name exists' }],
    properties: {
      name: { ...str, required: true },
      ranges: { type: { kind: 'ip-ranges' }, required: true },
      'next-pool': { type: { kind: 'string' }, default: 'none' },
    },
  },
  {
    path: '/ip/service',
    kind: 'fixed',
    nameProperty: 'name',
    commentAndDisabled: false,
    firstId: 0,
    properties: {
      name: ro,
      port: { type: { kind: 'int', min: 1, max: 65535 }, required: true },
      'available-from': { type: { kind: 'prefix-list' }, default: '' },
      // The pre-7.17 name, still accepted as an alias: both always read the same.
      address: { type: { kind: 'prefix-list' }, default: '' },
      certificate: {
        type: { kind: 'ref', menu: '/certificate', label: 'certificate', extra: ['none'] },
        default: 'none',
      },
      'tls-version': { type: { kind: 'enum', values: ['any', 'only-1.2'] }, default: 'any' },
      vrf: { type: { kind: 'string' }, default: 'main' },
      'max-sessions': { type: { kind: 'int', min: 1, max: 1000 }, default: '20' },
      disabled: { type: { kind: 'bool' }, default: 'false' },
      invalid: { ...ro, default: 'false' },
    },
    showsDynamic: true,
    afterSet: (item, previous, state) => {
      const from = item.values['available-from'] ?? '';
      const address = item.values['address'] ?? '';
      if (from === address) return;
      const value = from !== (previous['available-from'] ?? '') ? from : address;
      state.update('/ip/service', item, { 'available-from': value, address: value });
    },
  },
  {
    path: '/ip/dhcp-client',
    kind: 'list',
    unique: [{ properties: ['interface'], message: 'failure: dhcp-client already exists on this interface' }],
    showsDynamic: true,
    properties: {
      interface: { ...iface, required: true },
      'add-default-route': {
        type: { kind: 'enum', values: ['yes', 'no', 'special-classless'] },
        default: 'yes',
      },
      'default-route-distance': { type: { kind: 'int', min: 0, max: 255 }, default: '1' },
      'use-peer-dns': { type: { kind: 'bool' }, default: 'true' },
      'use-peer-ntp': { type: { kind: 'bool' }, default: 'true' },
      'dhcp-options': { type: { kind: 'string' }, default: 'hostname,clientid' },
      script: { type: { kind: 'string' }, default: '' },
      // No DHCP server answers a simulated WAN port: the client keeps searching.
      status: ro,
      address: ro,
      gateway: ro,
      invalid: { ...ro, default: 'false' },
    },
    computed: (item) => ({ status: item.values['disabled'] === 'true' ? 'stopped' : 'searching...' }),
  },
];

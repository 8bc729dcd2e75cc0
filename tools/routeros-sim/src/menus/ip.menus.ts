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
  },
];

import type { MenuSpec } from '../schema';
import { endPppSession } from '../world/ppp-sessions';

const str = { type: { kind: 'string' } } as const;
const ro = { type: { kind: 'string' }, readOnly: true } as const;

export const pppMenus: readonly MenuSpec[] = [
  {
    path: '/ppp/profile',
    kind: 'list',
    nameProperty: 'name',
    unique: [{ properties: ['name'], message: 'failure: profile with the same name already exists' }],
    properties: {
      name: { ...str, required: true },
      'local-address': { type: { kind: 'string' } },
      'remote-address': { type: { kind: 'string' } },
      'rate-limit': { type: { kind: 'string' } },
      'only-one': { type: { kind: 'enum', values: ['default', 'no', 'yes'] }, default: 'default' },
      'address-list': { type: { kind: 'string' }, default: '' },
      'dns-server': { type: { kind: 'string' } },
      'session-timeout': { type: { kind: 'duration' } },
      'idle-timeout': { type: { kind: 'duration' } },
      'parent-queue': { type: { kind: 'string' } },
      'insert-queue-before': { type: { kind: 'string' } },
      'queue-type': { type: { kind: 'string' } },
      'on-up': { type: { kind: 'string' }, default: '' },
      'on-down': { type: { kind: 'string' }, default: '' },
      'use-encryption': {
        type: { kind: 'enum', values: ['default', 'no', 'yes', 'required'] },
        default: 'default',
      },
      'change-tcp-mss': { type: { kind: 'enum', values: ['default', 'no', 'yes'] }, default: 'default' },
      bridge: { type: { kind: 'string' } },
      'interface-list': { type: { kind: 'string' } },
    },
  },
  {
    path: '/ppp/secret',
    kind: 'list',
    nameProperty: 'name',
    unique: [{ properties: ['name'], message: 'failure: secret with the same name already exists' }],
    properties: {
      name: { ...str, required: true },
      password: { type: { kind: 'string' }, default: '', sensitive: true },
      service: {
        type: { kind: 'enum', values: ['any', 'async', 'pptp', 'pppoe', 'l2tp', 'ovpn', 'sstp'] },
        default: 'any',
      },
      profile: { type: { kind: 'ref', menu: '/ppp/profile', label: 'profile' }, default: 'default' },
      'local-address': { type: { kind: 'ip' } },
      'remote-address': { type: { kind: 'ip' } },
      routes: { type: { kind: 'string' } },
      'caller-id': { type: { kind: 'string' }, default: '' },
      'limit-bytes-in': { type: { kind: 'int', min: 0, max: 2 ** 53 }, default: '0' },
      'limit-bytes-out': { type: { kind: 'int', min: 0, max: 2 ** 53 }, default: '0' },
      'remote-ipv6-prefix': { type: { kind: 'string' } },
      'ipv6-routes': { type: { kind: 'string' } },
      'last-logged-out': ro,
      'last-caller-id': ro,
      'last-disconnect-reason': ro,
    },
  },
  {
    // Sessions appear through the control interface; the API can only read and remove them.
    path: '/ppp/active',
    kind: 'list',
    commentAndDisabled: false,
    firstId: 0x80000001,
    properties: {
      name: ro,
      service: ro,
      'caller-id': ro,
      address: ro,
      uptime: { ...ro, default: '0s' },
      encoding: { ...ro, default: '' },
      'session-id': ro,
      'limit-bytes-in': { ...ro, default: '0' },
      'limit-bytes-out': { ...ro, default: '0' },
      radius: { ...ro, default: 'false' },
    },
    afterRemove: (item, state) => {
      endPppSession(state, item);
    },
  },
];

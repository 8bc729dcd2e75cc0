import type { MenuSpec } from '../schema';
import { endHotspotSession } from '../world/hotspot-sessions';

const str = { type: { kind: 'string' } } as const;
const ro = { type: { kind: 'string' }, readOnly: true } as const;

export const hotspotMenus: readonly MenuSpec[] = [
  {
    path: '/ip/hotspot',
    kind: 'list',
    nameProperty: 'name',
    unique: [{ properties: ['name'], message: 'failure: server with such name already exists' }],
    properties: {
      name: { ...str, required: true },
      interface: { type: { kind: 'ref', menu: '/interface', label: 'interface' }, required: true },
      'address-pool': {
        type: { kind: 'ref', menu: '/ip/pool', label: 'address-pool', extra: ['none'] },
        default: 'none',
      },
      profile: { type: { kind: 'ref', menu: '/ip/hotspot/profile', label: 'profile' }, default: 'default' },
      'idle-timeout': { type: { kind: 'duration' }, default: '5m' },
      'addresses-per-mac': { type: { kind: 'string' }, default: 'unlimited' },
      invalid: { ...ro, default: 'false' },
    },
  },
  {
    // The server profiles (the login page's address and DNS name); `default` is built in.
    path: '/ip/hotspot/profile',
    kind: 'list',
    nameProperty: 'name',
    commentAndDisabled: false,
    unique: [{ properties: ['name'], message: 'failure: profile with the same name already exists' }],
    properties: {
      name: { ...str, required: true },
      'hotspot-address': { type: { kind: 'ip' } },
      'dns-name': { type: { kind: 'string' }, default: '' },
      'html-directory': { type: { kind: 'string' }, default: 'hotspot' },
      'login-by': { type: { kind: 'string' }, default: 'cookie,http-chap' },
      'rate-limit': { type: { kind: 'string' } },
      'smtp-server': { type: { kind: 'ip' }, default: '0.0.0.0' },
      'use-radius': { type: { kind: 'bool' }, default: 'false' },
      'http-cookie-lifetime': { type: { kind: 'duration' }, default: '3d' },
      'split-user-domain': { type: { kind: 'bool' }, default: 'false' },
    },
    beforeRemove: (item, context) => {
      if (item.builtin === true) return 'failure: can not remove default profile';
      const used = context
        .items('/ip/hotspot')
        .some((server) => server.values['profile'] === item.values['name']);
      return used ? 'failure: profile is used by a server' : undefined;
    },
  },
  {
    path: '/ip/hotspot/user/profile',
    kind: 'list',
    nameProperty: 'name',
    unique: [{ properties: ['name'], message: 'failure: profile with the same name already exists' }],
    properties: {
      name: { ...str, required: true },
      'rate-limit': { type: { kind: 'string' } },
      'shared-users': { type: { kind: 'string' }, default: '1' },
      'session-timeout': { type: { kind: 'duration' } },
      'idle-timeout': { type: { kind: 'duration' }, default: 'none' },
      'keepalive-timeout': { type: { kind: 'duration' }, default: '2m' },
      'address-list': { type: { kind: 'string' }, default: '' },
      'on-login': { type: { kind: 'string' }, default: '' },
      'on-logout': { type: { kind: 'string' }, default: '' },
    },
  },
  {
    path: '/ip/hotspot/user',
    kind: 'list',
    nameProperty: 'name',
    unique: [
      {
        properties: ['name', 'server'],
        message: 'failure: already have user with this name for this server',
      },
    ],
    properties: {
      name: { ...str, required: true },
      password: { type: { kind: 'string' }, default: '', sensitive: true },
      server: { type: { kind: 'ref', menu: '/ip/hotspot', label: 'server', extra: ['all'] }, default: 'all' },
      profile: {
        type: { kind: 'ref', menu: '/ip/hotspot/user/profile', label: 'profile' },
        default: 'default',
      },
      'mac-address': { type: { kind: 'mac' } },
      address: { type: { kind: 'ip' } },
      'limit-uptime': { type: { kind: 'duration' } },
      'limit-bytes-total': { type: { kind: 'int', min: 0, max: 2 ** 53 } },
      uptime: { ...ro, default: '0s' },
      'bytes-in': { ...ro, default: '0' },
      'bytes-out': { ...ro, default: '0' },
    },
  },
  {
    path: '/ip/hotspot/walled-garden',
    kind: 'list',
    properties: {
      'dst-host': { type: { kind: 'string' } },
      'dst-port': { type: { kind: 'string' } },
      'dst-address': { type: { kind: 'string' } },
      'src-address': { type: { kind: 'string' } },
      path: { type: { kind: 'string' } },
      method: { type: { kind: 'string' } },
      server: { type: { kind: 'string' } },
      action: { type: { kind: 'enum', values: ['allow', 'deny'] }, default: 'allow' },
      hits: { ...ro, default: '0' },
    },
  },
  {
    // Logins happen through the control interface; the API can read sessions and remove (log out) them.
    path: '/ip/hotspot/active',
    kind: 'list',
    commentAndDisabled: false,
    firstId: 0x80000001,
    properties: {
      server: ro,
      user: ro,
      address: ro,
      'mac-address': ro,
      'login-by': { ...ro, default: 'http-chap' },
      uptime: { ...ro, default: '0s' },
      'session-time-left': ro,
      'idle-time': { ...ro, default: '0s' },
      'bytes-in': { ...ro, default: '0' },
      'bytes-out': { ...ro, default: '0' },
      'packets-in': { ...ro, default: '0' },
      'packets-out': { ...ro, default: '0' },
      radius: { ...ro, default: 'false' },
    },
    afterRemove: (item, state) => {
      endHotspotSession(state, item);
    },
  },
];

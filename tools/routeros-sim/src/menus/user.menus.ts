import type { MenuSpec } from '../schema';

const str = { type: { kind: 'string' } } as const;
const ro = { type: { kind: 'string' }, readOnly: true } as const;

export const userMenus: readonly MenuSpec[] = [
  {
    path: '/user/group',
    kind: 'list',
    nameProperty: 'name',
    writePolicy: 'policy',
    unique: [{ properties: ['name'], message: 'failure: group with the same name already exists' }],
    properties: {
      name: { ...str, required: true },
      policy: { type: { kind: 'policy', complete: true }, default: '' },
      skin: { type: { kind: 'string' }, default: 'default' },
    },
    beforeRemove: (item, context) => {
      if (item.builtin === true) return 'failure: can not remove default group';
      const used = context.items('/user').some((user) => user.values['group'] === item.values['name']);
      return used ? 'failure: group has some users' : undefined;
    },
  },
  {
    path: '/user',
    kind: 'list',
    nameProperty: 'name',
    writePolicy: 'policy',
    unique: [{ properties: ['name'], message: 'failure: user with the same name already exists' }],
    properties: {
      name: { ...str, required: true },
      group: { type: { kind: 'ref', menu: '/user/group', label: 'group' }, required: true },
      password: { type: { kind: 'string' }, default: '', secret: true },
      address: { type: { kind: 'prefix-list' }, default: '' },
      'inactivity-timeout': { type: { kind: 'duration' }, default: '10m' },
      'inactivity-policy': {
        type: { kind: 'enum', values: ['none', 'lockscreen', 'logout'] },
        default: 'none',
      },
      'last-logged-in': ro,
    },
    validate: (values) =>
      /^[A-Za-z0-9_.#@-]+$/.test(values['name'] ?? '') ? undefined : 'invalid value for argument name',
  },
  {
    path: '/certificate',
    kind: 'list',
    nameProperty: 'name',
    unique: [{ properties: ['name'], message: 'failure: certificate with the same name already exists' }],
    properties: {
      name: { ...str, required: true },
      'common-name': { type: { kind: 'string' }, required: true },
      'key-size': {
        type: { kind: 'enum', values: ['1024', '1536', '2048', '4096', '8192', 'prime256v1', 'secp384r1'] },
        default: '2048',
      },
      'days-valid': { type: { kind: 'int', min: 1, max: 36500 }, default: '365' },
      'key-usage': { type: { kind: 'string' } },
      'subject-alt-name': { type: { kind: 'string' } },
      country: { type: { kind: 'string' } },
      organization: { type: { kind: 'string' } },
      fingerprint: ro,
      'private-key': { ...ro, default: 'false' },
      trusted: { ...ro, default: 'false' },
      'key-type': { ...ro, default: 'rsa' },
      'invalid-before': ro,
      'invalid-after': ro,
    },
  },
];

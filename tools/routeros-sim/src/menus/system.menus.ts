import type { MenuSpec } from '../schema';

const str = { type: { kind: 'string' } } as const;
const ro = { type: { kind: 'string' }, readOnly: true } as const;

export const systemMenus: readonly MenuSpec[] = [
  {
    path: '/system/identity',
    kind: 'singleton',
    commentAndDisabled: false,
    properties: { name: { type: { kind: 'string' }, default: 'MikroTik' } },
  },
  {
    path: '/system/resource',
    kind: 'readonly',
    commentAndDisabled: false,
    properties: Object.fromEntries(
      [
        'uptime',
        'version',
        'build-time',
        'factory-software',
        'free-memory',
        'total-memory',
        'cpu',
        'cpu-count',
        'cpu-frequency',
        'cpu-load',
        'free-hdd-space',
        'total-hdd-space',
        'write-sect-since-reboot',
        'write-sect-total',
        'bad-blocks',
        'architecture-name',
        'board-name',
        'platform',
      ].map((name) => [name, ro]),
    ),
  },
  {
    path: '/system/routerboard',
    kind: 'readonly',
    commentAndDisabled: false,
    properties: Object.fromEntries(
      [
        'routerboard',
        'board-name',
        'model',
        'revision',
        'serial-number',
        'firmware-type',
        'factory-firmware',
        'current-firmware',
        'upgrade-firmware',
      ].map((name) => [name, ro]),
    ),
  },
  {
    path: '/system/script',
    kind: 'list',
    nameProperty: 'name',
    unique: [{ properties: ['name'], message: 'failure: script with such name already exists' }],
    properties: {
      name: { ...str, required: true },
      source: { type: { kind: 'string' }, default: '' },
      policy: {
        type: { kind: 'policy' },
        default: 'ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon',
      },
      'dont-require-permissions': { type: { kind: 'bool' }, default: 'false' },
      owner: ro,
      'run-count': { ...ro, default: '0' },
      'last-started': ro,
      invalid: { ...ro, default: 'false' },
    },
  },
];

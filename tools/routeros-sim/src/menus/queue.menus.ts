import type { MenuSpec } from '../schema';

const ro = { type: { kind: 'string' }, readOnly: true } as const;
const pair = (value: string) => ({ type: { kind: 'rate-pair' }, default: value }) as const;

export const queueMenus: readonly MenuSpec[] = [
  {
    path: '/queue/simple',
    kind: 'list',
    nameProperty: 'name',
    unique: [{ properties: ['name'], message: 'failure: already have such name' }],
    showsDynamic: true,
    properties: {
      name: { type: { kind: 'string' } },
      target: { type: { kind: 'target' }, required: true },
      dst: { type: { kind: 'string' } },
      parent: { type: { kind: 'string' }, default: 'none' },
      'max-limit': pair('0/0'),
      'limit-at': pair('0/0'),
      'burst-limit': pair('0/0'),
      'burst-threshold': pair('0/0'),
      'burst-time': { type: { kind: 'string' }, default: '0s/0s' },
      priority: { type: { kind: 'string' }, default: '8/8' },
      queue: { type: { kind: 'string' }, default: 'default-small/default-small' },
      'bucket-size': { type: { kind: 'string' }, default: '0.1/0.1' },
      'packet-marks': { type: { kind: 'string' }, default: '' },
      time: { type: { kind: 'string' } },
      bytes: { ...ro, default: '0/0' },
      packets: { ...ro, default: '0/0' },
      rate: { ...ro, default: '0/0' },
      dropped: { ...ro, default: '0/0' },
      invalid: { ...ro, default: 'false' },
    },
  },
];

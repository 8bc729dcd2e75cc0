import type { MenuSpec } from '../schema';

const bool = (value: string) => ({ type: { kind: 'bool' }, default: value }) as const;
const interfaceList = {
  type: { kind: 'ref', menu: '/interface/list', label: 'interface-list' },
  default: 'all',
} as const;

/**
 * The discovery and management-access services that MikroTik's "Securing your router" guide
 * turns off or limits: neighbour discovery (MNDP, which the simulator really sends), the MAC
 * server and MAC WinBox, the bandwidth-test server, DNS answering, proxy, SOCKS, UPnP, cloud.
 * Configuration only, except discovery-settings, which the MNDP announcer obeys.
 */
export const toolMenus: readonly MenuSpec[] = [
  {
    path: '/ip/neighbor/discovery-settings',
    kind: 'singleton',
    commentAndDisabled: false,
    properties: {
      'discover-interface-list': interfaceList,
      protocol: { type: { kind: 'string' }, default: 'cdp,lldp,mndp' },
      mode: { type: { kind: 'enum', values: ['rx-only', 'tx-only', 'tx-and-rx'] }, default: 'tx-and-rx' },
      'discover-interval': { type: { kind: 'duration' }, default: '30s' },
    },
  },
  {
    path: '/tool/mac-server',
    kind: 'singleton',
    commentAndDisabled: false,
    properties: { 'allowed-interface-list': interfaceList },
  },
  {
    path: '/tool/mac-server/mac-winbox',
    kind: 'singleton',
    commentAndDisabled: false,
    properties: { 'allowed-interface-list': interfaceList },
  },
  {
    path: '/tool/mac-server/ping',
    kind: 'singleton',
    commentAndDisabled: false,
    properties: { enabled: bool('true') },
  },
  {
    path: '/tool/bandwidth-server',
    kind: 'singleton',
    commentAndDisabled: false,
    properties: {
      enabled: bool('true'),
      authenticate: bool('true'),
      'max-sessions': { type: { kind: 'int', min: 1, max: 1000 }, default: '100' },
    },
  },
  {
    path: '/ip/dns',
    kind: 'singleton',
    commentAndDisabled: false,
    properties: {
      servers: { type: { kind: 'string' }, default: '' },
      'allow-remote-requests': bool('false'),
      'cache-size': { type: { kind: 'string' }, default: '2048KiB' },
      'dynamic-servers': { type: { kind: 'string' }, readOnly: true, default: '' },
    },
  },
  {
    path: '/ip/dns/static',
    kind: 'list',
    showsDynamic: true,
    properties: {
      name: { type: { kind: 'string' } },
      address: { type: { kind: 'ip' } },
      type: {
        type: { kind: 'enum', values: ['A', 'AAAA', 'CNAME', 'FWD', 'MX', 'NS', 'NXDOMAIN', 'SRV', 'TXT'] },
        default: 'A',
      },
      ttl: { type: { kind: 'duration' }, default: '1d' },
    },
  },
  {
    path: '/ip/proxy',
    kind: 'singleton',
    commentAndDisabled: false,
    properties: {
      enabled: bool('false'),
      port: { type: { kind: 'int', min: 1, max: 65535 }, default: '8080' },
    },
  },
  {
    path: '/ip/socks',
    kind: 'singleton',
    commentAndDisabled: false,
    properties: {
      enabled: bool('false'),
      port: { type: { kind: 'int', min: 1, max: 65535 }, default: '1080' },
    },
  },
  {
    path: '/ip/upnp',
    kind: 'singleton',
    commentAndDisabled: false,
    properties: { enabled: bool('false') },
  },
  {
    path: '/ip/cloud',
    kind: 'singleton',
    commentAndDisabled: false,
    properties: {
      'ddns-enabled': { type: { kind: 'enum', values: ['yes', 'no', 'auto'] }, default: 'auto' },
      'update-time': bool('true'),
    },
  },
  {
    path: '/ip/ssh',
    kind: 'singleton',
    commentAndDisabled: false,
    properties: {
      'strong-crypto': bool('false'),
      'forwarding-enabled': {
        type: { kind: 'enum', values: ['both', 'local', 'no', 'remote'] },
        default: 'no',
      },
    },
  },
];

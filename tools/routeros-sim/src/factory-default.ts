import { createHash } from 'node:crypto';

import type { RouterState } from './router-state';

export interface FactoryOptions {
  /** RouterOS version shown in /system/resource, e.g. `7.20`. */
  readonly version: string;
  /** Admin password: empty on older and Netinstalled devices, a "sticker" password on newer ones. */
  readonly adminPassword: string;
  /** The router's API address: its serial number and MAC addresses derive from it, so two labs never share one. */
  readonly address: string;
  /** `chr`: no `/system/routerboard`, an x86 board in `/system/resource`. Default `routerboard`. */
  readonly platform?: 'routerboard' | 'chr';
}

const DEFCONF = 'defconf';

/** The MAC of port `port`: MikroTik's OUI 48:A9:8A, then the address's last two octets. */
function mac(address: string, port: number): string {
  const [, , third = 0, fourth = 0] = address.split('.').map(Number);
  const bytes = [0x48, 0xa9, 0x8a, third & 0xff, fourth & 0xff, port];
  return bytes.map((byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/** A RouterBOARD-like serial (12 uppercase hex digits), unique per simulated address. */
export function simulatedSerial(address: string): string {
  return createHash('sha256').update(`routeros-sim:${address}`).digest('hex').slice(0, 12).toUpperCase();
}

const POLICY_ALL =
  'local,telnet,ssh,ftp,reboot,read,write,policy,test,winbox,password,web,sniff,sensitive,api,romon,rest-api';

/**
 * Seeds the RouterBOARD "defconf" configuration a SOHO router ships with. A CHR gets the same
 * configuration (a real one ships almost empty) but, as on RouterOS, no `/system/routerboard`.
 */
export function seedFactoryDefault(state: RouterState, options: FactoryOptions): void {
  const chr = options.platform === 'chr';
  state.insert('/system/identity', { name: 'MikroTik' });
  state.insert('/system/resource', {
    version: `${options.version} (stable)`,
    'build-time': '2026-01-15 10:00:00',
    'factory-software': '7.1',
    'free-memory': '201326592',
    'total-memory': '268435456',
    cpu: chr ? 'QEMU Virtual CPU' : 'ARM',
    'cpu-count': '4',
    'cpu-frequency': '716',
    'cpu-load': '1',
    'free-hdd-space': '8388608',
    'total-hdd-space': '16777216',
    'write-sect-since-reboot': '100',
    'write-sect-total': '1000',
    'bad-blocks': '0',
    'architecture-name': chr ? 'x86_64' : 'arm',
    'board-name': chr ? 'CHR QEMU Standard PC (i440FX + PIIX, 1996)' : 'hAP ac^2',
    platform: 'MikroTik',
  });
  if (!chr)
    state.insert('/system/routerboard', {
      routerboard: 'true',
      'board-name': 'hAP ac^2',
      model: 'RBD52G-5HacD2HnD',
      revision: 'r2',
      'serial-number': simulatedSerial(options.address),
      'firmware-type': 'ipq4000L',
      'factory-firmware': '6.45.9',
      'current-firmware': options.version,
      'upgrade-firmware': options.version,
    });

  for (let port = 1; port <= 5; port++) {
    state.insert('/interface', {
      name: `ether${port}`,
      'default-name': `ether${port}`,
      type: 'ether',
      'mac-address': mac(options.address, port),
    });
  }
  state.insert('/interface', { name: 'bridge', type: 'bridge', 'mac-address': mac(options.address, 2) });
  state.insert('/interface/bridge', {
    name: 'bridge',
    comment: DEFCONF,
    'admin-mac': mac(options.address, 2),
    'auto-mac': 'false',
    'mac-address': mac(options.address, 2),
  });
  for (let port = 2; port <= 5; port++)
    state.insert('/interface/bridge/port', { interface: `ether${port}`, bridge: 'bridge', comment: DEFCONF });

  for (const name of ['all', 'none', 'dynamic', 'static'])
    state.insert('/interface/list', { name }, { builtin: true });
  state.insert('/interface/list', { name: 'WAN', comment: DEFCONF });
  state.insert('/interface/list', { name: 'LAN', comment: DEFCONF });
  state.insert('/interface/list/member', { list: 'LAN', interface: 'bridge', comment: DEFCONF });
  state.insert('/interface/list/member', { list: 'WAN', interface: 'ether1', comment: DEFCONF });
  state.insert('/ip/address', { address: '192.168.88.1/24', interface: 'bridge', comment: DEFCONF });
  state.insert('/ip/dhcp-client', { interface: 'ether1', comment: DEFCONF });
  state.insert('/ip/dns', { 'allow-remote-requests': 'true' });
  state.insert('/ip/dns/static', {
    name: 'router.lan',
    address: '192.168.88.1',
    type: 'A',
    comment: DEFCONF,
  });
  // defconf limits discovery and MAC access to the LAN.
  state.insert('/ip/neighbor/discovery-settings', { 'discover-interface-list': 'LAN' });
  state.insert('/tool/mac-server', { 'allowed-interface-list': 'LAN' });
  state.insert('/tool/mac-server/mac-winbox', { 'allowed-interface-list': 'LAN' });
  for (const menu of [
    '/tool/mac-server/ping',
    '/tool/bandwidth-server',
    '/ip/proxy',
    '/ip/socks',
    '/ip/upnp',
    '/ip/cloud',
    '/ip/ssh',
  ])
    state.insert(menu, {});
  state.insert('/ip/pool', { name: 'default-dhcp', ranges: '192.168.88.10-192.168.88.254' });
  state.insert('/ip/dhcp-server', { name: DEFCONF, interface: 'bridge', 'address-pool': 'default-dhcp' });
  state.insert('/ip/dhcp-server/network', {
    address: '192.168.88.0/24',
    gateway: '192.168.88.1',
    'dns-server': '192.168.88.1',
    comment: DEFCONF,
  });

  const filter = (values: Record<string, string>): void => {
    state.insert('/ip/firewall/filter', values);
  };
  filter({
    chain: 'input',
    action: 'accept',
    'connection-state': 'established,related,untracked',
    comment: 'defconf: accept established,related,untracked',
  });
  filter({ chain: 'input', action: 'drop', 'connection-state': 'invalid', comment: 'defconf: drop invalid' });
  filter({ chain: 'input', action: 'accept', protocol: 'icmp', comment: 'defconf: accept ICMP' });
  filter({
    chain: 'input',
    action: 'accept',
    'dst-address': '127.0.0.1',
    comment: 'defconf: accept to local loopback (for CAPsMAN)',
  });
  filter({
    chain: 'input',
    action: 'drop',
    'in-interface-list': '!LAN',
    comment: 'defconf: drop all not coming from LAN',
  });
  filter({
    chain: 'forward',
    action: 'accept',
    'ipsec-policy': 'in,ipsec',
    comment: 'defconf: accept in ipsec policy',
  });
  filter({
    chain: 'forward',
    action: 'accept',
    'ipsec-policy': 'out,ipsec',
    comment: 'defconf: accept out ipsec policy',
  });
  filter({
    chain: 'forward',
    action: 'fasttrack-connection',
    'connection-state': 'established,related',
    'hw-offload': 'true',
    comment: 'defconf: fasttrack',
  });
  filter({
    chain: 'forward',
    action: 'accept',
    'connection-state': 'established,related,untracked',
    comment: 'defconf: accept established,related, untracked',
  });
  filter({
    chain: 'forward',
    action: 'drop',
    'connection-state': 'invalid',
    comment: 'defconf: drop invalid',
  });
  filter({
    chain: 'forward',
    action: 'drop',
    'connection-state': 'new',
    'connection-nat-state': '!dstnat',
    'in-interface-list': 'WAN',
    comment: 'defconf: drop all from WAN not DSTNATed',
  });
  state.insert('/ip/firewall/nat', {
    chain: 'srcnat',
    action: 'masquerade',
    'out-interface-list': 'WAN',
    'ipsec-policy': 'out,none',
    comment: 'defconf: masquerade',
  });

  const groups: readonly (readonly [string, string])[] = [
    [
      'read',
      'local,telnet,ssh,reboot,read,test,winbox,password,web,sniff,api,romon,rest-api,!ftp,!write,!policy,!sensitive',
    ],
    [
      'write',
      'local,telnet,ssh,reboot,read,write,test,winbox,password,web,sniff,api,romon,rest-api,!ftp,!policy,!sensitive',
    ],
    ['full', POLICY_ALL],
  ];
  for (const [name, policy] of groups) state.insert('/user/group', { name, policy }, { builtin: true });
  state.insert('/user', {
    name: 'admin',
    group: 'full',
    password: options.adminPassword,
    comment: 'system default user',
  });

  const services: readonly (readonly [string, string, boolean])[] = [
    ['telnet', '23', false],
    ['ftp', '21', false],
    ['www', '80', false],
    ['ssh', '22', false],
    ['www-ssl', '443', true],
    ['api', '8728', false],
    ['winbox', '8291', false],
    ['api-ssl', '8729', false],
  ];
  for (const [name, port, disabled] of services) {
    state.insert('/ip/service', { name, port, disabled: disabled ? 'true' : 'false' }, { builtin: true });
  }
  state.insert('/ppp/profile', { name: 'default' }, { builtin: true });
  state.insert('/ppp/profile', { name: 'default-encryption', 'use-encryption': 'yes' }, { builtin: true });
  state.insert('/ip/hotspot/user/profile', { name: 'default' }, { builtin: true });
  state.insert('/ip/hotspot/profile', { name: 'default' }, { builtin: true });
}

/** The policies a group grants (negated entries removed). */
export function groupPolicies(policy: string): Set<string> {
  return new Set(policy.split(',').filter((entry) => entry !== '' && !entry.startsWith('!')));
}

import { leaseScript, networkOf } from '@isp/routeros';

import type { PreloaderConfig, Secrets } from '../config';
import { SECRET_ENV } from '../config';
import { parseCidr } from '../lib/ipv4';
import type { Op } from './ops';

/** Comment prefix of everything the preloader adds where items are found by comment. */
export const OWN_COMMENT = 'isp-preloader:';

/**
 * Policies of the management group: what the provisioner's commands need (API access, read and
 * write configuration, `/tool fetch`-style tests, reading secrets it wrote) and nothing more —
 * no `policy` (user management), `ftp`, `ssh`, `winbox`, `reboot`.
 */
export const MGMT_POLICIES = 'api,read,write,test,sensitive';

export const API_SSL_CERTIFICATE = 'isp-api-ssl';
export const HOTSPOT_PROFILE = 'isp-hotspot';
export const LAN_POOL = 'isp-lan';
/** The interface list MAC access and neighbour discovery are limited to (defconf's name). */
export const LAN_LIST = 'LAN';

export type StepName = 'secure' | 'configure' | 'tunnel' | 'name';

export interface Step {
  readonly name: StepName;
  readonly title: string;
  readonly ops: readonly Op[];
}

export interface PlanContext {
  readonly identity: string;
  /** The session is not the management user's: its password is (re)written. */
  readonly rewriteMgmtPassword: boolean;
  readonly tunnelAddress: string | undefined;
}

function lanAddress(config: PreloaderConfig): { ip: string; network: string } {
  const prefix = parseCidr(config.lan.address);
  if (prefix === undefined) throw new Error('lan.address was validated');
  return { ip: prefix.address, network: `${networkOf(prefix.address, prefix.length)}/${prefix.length}` };
}

function secureOps(config: PreloaderConfig, secrets: Secrets, ctx: PlanContext): Op[] {
  const { routeros, mgmt_subnet: mgmt } = config;
  const lan = config.lan.bridge;
  const service = (name: string, values: Record<string, string>): Op => ({
    kind: 'ensure',
    menu: '/ip/service',
    match: { name },
    values,
    mustExist: true,
  });
  const rule = (what: string, values: Record<string, string>): Op => ({
    kind: 'ensure',
    menu: '/ip/firewall/filter',
    match: { chain: 'input', comment: `${OWN_COMMENT} ${what}` },
    values,
    placeFirstIn: { chain: 'input', ownPrefix: OWN_COMMENT },
  });
  return [
    {
      kind: 'ensure',
      menu: '/user/group',
      match: { name: routeros.mgmt_group },
      values: { policy: MGMT_POLICIES },
    },
    {
      kind: 'ensure',
      menu: '/user',
      match: { name: routeros.mgmt_user },
      values: { group: routeros.mgmt_group, address: mgmt, disabled: 'no' },
      writeOnly: { password: secrets.mgmtPassword },
      rewrite: ctx.rewriteMgmtPassword,
      display: { password: `$${SECRET_ENV.mgmtPassword}` },
    },
    service('telnet', { disabled: 'yes' }),
    service('ftp', { disabled: 'yes' }),
    service('www', { disabled: 'yes' }),
    service('www-ssl', { disabled: 'yes' }),
    service('ssh', { 'available-from': mgmt }),
    singleton('/ip/ssh', { 'strong-crypto': 'yes', 'forwarding-enabled': 'no' }),
    service('winbox', { 'available-from': mgmt }),
    service('api', { 'available-from': mgmt, disabled: 'no' }),
    routeros.api_ssl
      ? service('api-ssl', { certificate: API_SSL_CERTIFICATE, 'available-from': mgmt, disabled: 'no' })
      : service('api-ssl', { disabled: 'yes' }),
    rule('accept established,related', { action: 'accept', 'connection-state': 'established,related' }),
    rule('drop invalid', { action: 'drop', 'connection-state': 'invalid' }),
    rule('accept management', { action: 'accept', 'src-address': mgmt }),
    rule('accept ICMP from LAN', { action: 'accept', protocol: 'icmp', 'in-interface': lan }),
    rule('accept DNS (udp) from LAN', {
      action: 'accept',
      protocol: 'udp',
      'dst-port': '53',
      'in-interface': lan,
    }),
    rule('accept DNS (tcp) from LAN', {
      action: 'accept',
      protocol: 'tcp',
      'dst-port': '53',
      'in-interface': lan,
    }),
    rule('drop everything else', { action: 'drop' }),
    ...exposureOps(config),
  ];
}

function singleton(menu: string, values: Record<string, string>): Op {
  return { kind: 'singleton', menu, values };
}

/**
 * MikroTik's "Securing your router" items beyond users, services and the firewall: what the
 * router offers at layer 2 and as a server. The LAN is the customers' side (the bridge towards
 * the OLT), so MAC access is off unless `routeros.mac_access: lan`.
 */
function exposureOps(config: PreloaderConfig): Op[] {
  const { mac_access: mac, discovery } = config.routeros;
  const macList = mac === 'lan' ? LAN_LIST : 'none';
  return [
    { kind: 'ensure', menu: '/interface/list', match: { name: LAN_LIST }, values: {} },
    singleton('/tool/mac-server', { 'allowed-interface-list': macList }),
    singleton('/tool/mac-server/mac-winbox', { 'allowed-interface-list': macList }),
    singleton('/tool/mac-server/ping', { enabled: mac === 'lan' ? 'yes' : 'no' }),
    singleton('/ip/neighbor/discovery-settings', {
      'discover-interface-list': discovery === 'lan' ? LAN_LIST : 'none',
    }),
    singleton('/tool/bandwidth-server', { enabled: 'no' }),
    // The LAN's clients use the router as their DNS server (the DHCP network hands it out, the
    // hotspot needs it); the input chain above accepts DNS from the LAN bridge only.
    singleton('/ip/dns', { 'allow-remote-requests': 'yes' }),
    singleton('/ip/proxy', { enabled: 'no' }),
    singleton('/ip/socks', { enabled: 'no' }),
    singleton('/ip/upnp', { enabled: 'no' }),
    // DDNS off; `update-time` stays: without NTP it is what sets the clock the lease-script's
    // certificate check depends on.
    singleton('/ip/cloud', { 'ddns-enabled': 'no' }),
  ];
}

function configureOps(config: PreloaderConfig, secrets: Secrets): Op[] {
  const wan = config.wan_interface;
  const bridge = config.lan.bridge;
  const { ip, network } = lanAddress(config);
  const script = leaseScript({
    gatewayUrl: config.gateway.url,
    token: secrets.macToken,
    checkCertificate: config.gateway.check_certificate,
  });
  return [
    {
      kind: 'ensure',
      menu: '/ip/dhcp-client',
      match: { interface: wan },
      values: { 'add-default-route': 'yes', 'use-peer-dns': 'yes', disabled: 'no' },
    },
    {
      kind: 'ensure',
      menu: '/ip/firewall/nat',
      match: { chain: 'srcnat', comment: `${OWN_COMMENT} masquerade to WAN` },
      values: { action: 'masquerade', 'out-interface': wan },
    },
    { kind: 'ensure', menu: '/interface/bridge', match: { name: bridge }, values: {} },
    // MAC access and discovery follow the LAN list: the bridge in it, the WAN never.
    {
      kind: 'ensure',
      menu: '/interface/list/member',
      match: { list: LAN_LIST, interface: bridge },
      values: {},
    },
    { kind: 'absent', menu: '/interface/list/member', match: { list: LAN_LIST, interface: wan } },
    { kind: 'absent', menu: '/interface/bridge/port', match: { interface: wan } },
    ...config.lan_ports.map((port): Op => ({
      kind: 'ensure',
      menu: '/interface/bridge/port',
      match: { interface: port },
      values: { bridge },
    })),
    {
      kind: 'ensure',
      menu: '/ip/address',
      match: { address: config.lan.address },
      values: { interface: bridge },
    },
    { kind: 'ensure', menu: '/ip/pool', match: { name: LAN_POOL }, values: { ranges: config.lan.pool } },
    {
      kind: 'ensure',
      menu: '/ip/dhcp-server/network',
      match: { address: network },
      values: { gateway: ip, 'dns-server': ip },
    },
    {
      kind: 'ensure',
      menu: '/ip/dhcp-server',
      match: { interface: bridge },
      addValues: { name: 'dhcp-lan' },
      values: { 'address-pool': LAN_POOL, 'lease-script': script, disabled: 'no' },
      display: {
        'lease-script': `"<posts every lease to ${config.gateway.url}/v1/dhcp/lease with $${SECRET_ENV.macToken}>"`,
      },
    },
    {
      kind: 'ensure',
      menu: '/ip/hotspot/profile',
      match: { name: HOTSPOT_PROFILE },
      values: { 'dns-name': config.hotspot_dns_name, 'hotspot-address': ip },
    },
    {
      kind: 'ensure',
      menu: '/ip/hotspot',
      match: { interface: bridge },
      addValues: { name: 'hotspot-lan' },
      values: { profile: HOTSPOT_PROFILE, 'address-pool': 'none', disabled: 'no' },
    },
  ];
}

function tunnelOps(config: PreloaderConfig, address: string): Op[] {
  const tunnel = config.tunnel;
  if (tunnel === undefined) return [];
  const [host = '', port = ''] = tunnel.endpoint.split(/:(?=\d+$)/);
  return [
    {
      kind: 'ensure',
      menu: '/interface/wireguard',
      match: { name: tunnel.interface },
      values: { 'listen-port': String(tunnel.listen_port), disabled: 'no' },
    },
    {
      kind: 'ensure',
      menu: '/interface/wireguard/peers',
      match: { interface: tunnel.interface, 'public-key': tunnel.peer_public_key },
      values: {
        'endpoint-address': host,
        'endpoint-port': port,
        'allowed-address': config.mgmt_subnet,
        'persistent-keepalive': tunnel.persistent_keepalive,
      },
    },
    { kind: 'ensure', menu: '/ip/address', match: { address }, values: { interface: tunnel.interface } },
  ];
}

/** The steps for one router, in the order they run; every op is idempotent. */
export function buildPlan(config: PreloaderConfig, secrets: Secrets, ctx: PlanContext): Step[] {
  const steps: Step[] = [
    {
      name: 'secure',
      title: 'Secure: management user, services, input firewall, MAC access and discovery',
      ops: secureOps(config, secrets, ctx),
    },
    {
      name: 'configure',
      title: 'Configure: WAN, LAN bridge, DHCP server, hotspot',
      ops: configureOps(config, secrets),
    },
  ];
  if (config.tunnel !== undefined && ctx.tunnelAddress !== undefined)
    steps.push({
      name: 'tunnel',
      title: 'Tunnel: WireGuard towards the NOC',
      ops: tunnelOps(config, ctx.tunnelAddress),
    });
  steps.push({
    name: 'name',
    title: 'Name: a unique identity',
    ops: [{ kind: 'singleton', menu: '/system/identity', values: { name: ctx.identity } }],
  });
  return steps;
}

/** The identity from the target, or the pattern: `{sector}`, `{serial}`, `{n}` (1-based target index). */
export function identityFor(pattern: string, values: { sector: string; serial: string; n: number }): string {
  return pattern
    .replaceAll('{sector}', values.sector)
    .replaceAll('{serial}', values.serial)
    .replaceAll('{n}', String(values.n));
}

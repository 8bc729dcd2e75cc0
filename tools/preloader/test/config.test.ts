import { describe, expect, it } from 'vitest';

import { parseConfig, secretsFromEnv } from '../src/config';
import { PreloaderError } from '../src/errors';
import { hostsOf } from '../src/lib/ipv4';
import { CONTRACT_EXAMPLE } from './contract-example';

const BASE = CONTRACT_EXAMPLE;

function problem(text: string): string {
  try {
    parseConfig('config.yaml', text);
  } catch (error) {
    expect(error).toBeInstanceOf(PreloaderError);
    expect((error as PreloaderError).code).toBe('ISP_ERR_PRELOADER_CONFIG');
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('parseConfig', () => {
  it("accepts the contract's example and fills this project's defaults", () => {
    const config = parseConfig('config.yaml', BASE);
    expect(config).toMatchObject({
      subnet: '192.168.88.0/24',
      lan_ports: ['ether2', 'sfp1'],
      routeros: {
        api_port: 8728,
        mgmt_user: 'odoo_noc',
        mgmt_group: 'isp-noc',
        api_ssl: false,
        admin: 'randomize',
        mac_access: 'off',
        discovery: 'lan',
      },
      gateway: { url: 'https://gw.example.net', check_certificate: true },
      identity: '{sector}-{serial}',
      lan: { bridge: 'bridge', address: '192.168.88.1/24', pool: '192.168.88.10-192.168.88.254' },
      concurrency: 4,
    });
    expect(config.tunnel).toBeUndefined();
  });

  it('names the key that is wrong', () => {
    expect(problem(BASE.replace('10.10.0.0/24', '10.10.0.0'))).toContain(
      'mgmt_subnet: must be an IPv4 prefix',
    );
    expect(problem(BASE.replace('wan_interface: ether1\n', ''))).toContain('wan_interface: is required');
    expect(problem(BASE.replace('mgmt_user: odoo_noc', 'mgmt_user: "odoo noc"'))).toContain(
      'routeros.mgmt_user:',
    );
    expect(problem(BASE.replace('portal.example.net', 'portal'))).toContain(
      'hotspot_dns_name: must be a DNS name',
    );
    expect(problem(BASE.replace('[ether2, sfp1]', '[ether1]'))).toContain(
      'lan_ports: must not contain wan_interface',
    );
    expect(problem(BASE.replace('https://gw.example.net', 'ftp://gw'))).toContain('gateway.url:');
    expect(problem(BASE.replace('mgmt_user: odoo_noc', 'mgmt_user: odoo_noc, mac_access: all'))).toContain(
      'routeros.mac_access:',
    );
  });

  it('refuses unknown keys, so a typo or a secret in the file is caught', () => {
    expect(problem(`${BASE}hotspot_dns: x\n`)).toContain('unknown key(s) hotspot_dns');
    expect(problem(BASE.replace('user: admin}', 'user: admin, password: hunter2}'))).toContain(
      'odoo: unknown key(s) password',
    );
  });

  it('wants subnet or targets, not both', () => {
    expect(problem(`${BASE}targets: [192.168.88.1]\n`)).toContain('subnet: give either subnet or targets');
    const config = parseConfig(
      'config.yaml',
      BASE.replace('subnet: 192.168.88.0/24\n', 'targets: [192.168.88.1, {host: 10.0.0.2, port: 8000}]\n'),
    );
    expect(config.targets).toEqual(['192.168.88.1', { host: '10.0.0.2', port: 8000 }]);
  });

  it('checks the tunnel section: a WireGuard key, host:port, an address', () => {
    const tunnel = (body: string): string => `${BASE}tunnel: {${body}}\n`;
    const key = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
    expect(
      parseConfig(
        'c',
        tunnel(`endpoint: "noc.example.net:13231", peer_public_key: "${key}", address: 10.10.0.5/24`),
      ).tunnel,
    ).toMatchObject({
      interface: 'wg-noc',
      listen_port: 13231,
      persistent_keepalive: '25s',
    });
    expect(
      problem(tunnel(`endpoint: "noc.example.net:13231", peer_public_key: "abc", address: 10.10.0.5/24`)),
    ).toContain('tunnel.peer_public_key: must be a WireGuard public key');
    expect(
      problem(tunnel(`endpoint: noc.example.net, peer_public_key: "${key}", address: 10.10.0.5/24`)),
    ).toContain('tunnel.endpoint: must be host:port');
    expect(problem(tunnel(`endpoint: "noc.example.net:13231", peer_public_key: "${key}"`))).toContain(
      'tunnel.address: is required',
    );
  });

  it('says when the file is not YAML', () => {
    expect(problem('subnet: [unclosed')).toContain('config.yaml: not valid YAML');
  });

  it('keeps the LAN pool inside the LAN address', () => {
    expect(problem(`${BASE}lan: {pool: 10.0.0.10-10.0.0.20}\n`)).toContain(
      'lan.pool: must lie inside lan.address',
    );
  });
});

describe('secretsFromEnv', () => {
  it('reads the three secrets and names the missing ones', () => {
    expect(secretsFromEnv({ MIKROTIK_MGMT_PASS: 'a', ODOO_ADMIN_PASS: 'b', ISP_MAC_TOKEN: 'c' })).toEqual({
      mgmtPassword: 'a',
      odooPassword: 'b',
      macToken: 'c',
      factoryPassword: '',
    });
    expect(
      secretsFromEnv({
        MIKROTIK_MGMT_PASS: 'a',
        ODOO_ADMIN_PASS: 'b',
        ISP_MAC_TOKEN: 'c',
        MIKROTIK_FACTORY_PASS: 'd',
      }).factoryPassword,
    ).toBe('d');
    expect(() => secretsFromEnv({ MIKROTIK_MGMT_PASS: 'a' })).toThrow('set ODOO_ADMIN_PASS, ISP_MAC_TOKEN');
    expect(() =>
      secretsFromEnv({ MIKROTIK_MGMT_PASS: 'a', ODOO_ADMIN_PASS: 'b', ISP_MAC_TOKEN: 'a b' }),
    ).toThrow('ISP_MAC_TOKEN must not contain spaces or commas');
  });
});

describe('hostsOf', () => {
  it('lists the hosts of a subnet without network and broadcast', () => {
    expect(hostsOf('10.0.0.0/30')).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(hostsOf('10.0.0.7/32')).toEqual(['10.0.0.7']);
    expect(hostsOf('127.0.64.0/22')).toHaveLength(1022);
  });

  it('refuses what is not a subnet or too large to scan', () => {
    expect(() => hostsOf('10.0.0.0/33')).toThrow('not an IPv4 subnet');
    expect(() => hostsOf('10.0.0.0/8')).toThrow('larger than a /16');
  });
});

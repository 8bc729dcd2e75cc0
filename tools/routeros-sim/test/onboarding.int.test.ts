import { createPublicKey } from 'node:crypto';

import { RouterClient, RouterOsError } from '@isp/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startLab } from '../src/index';
import type { Lab } from '../src/index';

// What onboarding a factory router touches: services, users and policies, the menus it
// configures. This file owns 127.0.70.x (routers .1 and .2, clients connect from .100 up).
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ host: '127.0.70.1', port: 0, count: 2, version: '7.20' });
});

afterAll(async () => {
  await lab.close();
});

function connect(
  user: string,
  password: string,
  options: { router?: number; from?: string } = {},
): Promise<RouterClient> {
  const router = lab.routers[options.router ?? 0]!;
  return RouterClient.connect({
    host: router.address,
    port: router.port,
    user,
    password,
    timeoutMs: 3000,
    ...(options.from === undefined ? {} : { localAddress: options.from }),
  });
}

/** Runs `work` as admin on router `router` and closes the session. */
async function asAdmin<T>(work: (client: RouterClient) => Promise<T>, router = 0): Promise<T> {
  const client = await connect('admin', '', { router });
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof RouterOsError ? `${error.code}: ${error.message}` : String(error);
  }
  throw new Error('expected a failure');
}

describe('factory passwords', () => {
  it('gives a router of the lab its own sticker password when asked', async () => {
    const stickers = await startLab({
      host: '127.0.70.20',
      port: 0,
      count: 2,
      adminPasswords: [undefined, 'STK-7Q2M'],
    });
    try {
      const plain = await stickers.adminClient(0);
      await plain.close();
      const sticker = await stickers.adminClient(1);
      await sticker.close();
      const router = stickers.routers[1]!;
      expect(
        await failure(
          RouterClient.connect({ host: router.address, port: router.port, user: 'admin', password: '' }),
        ),
      ).toBe('ISP_ERR_ROUTEROS_LOGIN_FAILED: invalid user name or password (6)');
    } finally {
      await stickers.close();
    }
  });
});

describe('/ip/service', () => {
  it('lists the factory services with their ports, and takes `address` as the alias of `available-from`', async () => {
    await asAdmin(async (client) => {
      const rows = await client.print('/ip/service', {
        proplist: ['name', 'port', 'disabled', 'certificate'],
      });
      expect(Object.fromEntries(rows.map((row) => [row['name'], row['port']]))).toEqual({
        telnet: '23',
        ftp: '21',
        www: '80',
        ssh: '22',
        'www-ssl': '443',
        api: '8728',
        winbox: '8291',
        'api-ssl': '8729',
      });
      expect(rows.find((row) => row['name'] === 'www-ssl')).toMatchObject({
        disabled: 'true',
        certificate: 'none',
      });
      await client.execute('/ip/service/set', { '.id': 'telnet', address: '10.9.0.0/24,10.8.0.0/16' });
      const [telnet] = await client.print('/ip/service', { query: ['name=telnet'] });
      expect(telnet).toMatchObject({
        address: '10.9.0.0/24,10.8.0.0/16',
        'available-from': '10.9.0.0/24,10.8.0.0/16',
      });
      expect(await failure(client.execute('/ip/service/set', { '.id': 'telnet', comment: 'x' }))).toContain(
        'unknown parameter comment',
      );
      expect(
        await failure(client.execute('/ip/service/set', { '.id': 'ftp', address: '10.0.0.300/24' })),
      ).toContain('invalid value for argument address');
      await client.execute('/ip/service/set', { '.id': 'telnet', 'available-from': '' });
    });
  });

  it('closes an API connection from outside the api service’s addresses, and serves one from inside', async () => {
    // The session that sets the restriction stays open: RouterOS checks a service on connect only.
    const admin = await connect('admin', '');
    try {
      await admin.execute('/ip/service/set', { '.id': 'api', address: '127.0.70.100/31,127.0.70.110' });
      const inside = await connect('admin', '', { from: '127.0.70.101' });
      await inside.close();
      const single = await connect('admin', '', { from: '127.0.70.110' });
      await single.close();
      expect(await failure(connect('admin', '', { from: '127.0.70.120' }))).toBe(
        'ISP_ERR_ROUTEROS_CONNECT_FAILED: 127.0.70.1 closed the connection before login completed',
      );
      // The other router's api service is untouched.
      const other = await connect('admin', '', { router: 1, from: '127.0.70.120' });
      await other.close();
      expect((await admin.print('/system/identity'))[0]?.['name']).toBe('MikroTik');
    } finally {
      await admin.execute('/ip/service/set', { '.id': 'api', address: '' });
      await admin.close();
    }
    const again = await connect('admin', '', { from: '127.0.70.120' });
    await again.close();
  });

  it('takes no API connection while the api service is disabled', async () => {
    const admin = await connect('admin', '', { router: 1 });
    await admin.execute('/ip/service/disable', { '.id': 'api' });
    // A disabled service has no listener: the connection is refused.
    expect(await failure(connect('admin', '', { router: 1 }))).toMatch(
      /^ISP_ERR_ROUTEROS_CONNECT_FAILED: .*ECONNREFUSED/,
    );
    // The session that disabled it goes on, as RouterOS checks a service on connect.
    await admin.execute('/ip/service/enable', { '.id': 'api' });
    await admin.close();
    const back = await connect('admin', '', { router: 1 });
    await back.close();
  });
});

describe('users and groups', () => {
  it('ships the factory groups with RouterOS’s policy lists', async () => {
    const groups = await asAdmin((client) => client.print('/user/group', { proplist: ['name', 'policy'] }));
    expect(groups.map((group) => group['name'])).toEqual(['read', 'write', 'full']);
    const policies = (name: string): string[] =>
      (groups.find((group) => group['name'] === name)?.['policy'] ?? '').split(',');
    expect(policies('full')).toEqual(expect.arrayContaining(['api', 'policy', 'sensitive', 'write', 'read']));
    expect(policies('read')).toEqual(
      expect.arrayContaining(['read', 'api', '!write', '!policy', '!sensitive']),
    );
    expect(policies('write')).toEqual(expect.arrayContaining(['write', '!policy', '!sensitive']));
  });

  it('stores a group’s policy as RouterOS prints it: granted ones in its order, then the rest negated', async () => {
    await asAdmin(async (client) => {
      await client.add('/user/group', { name: 'mgmt', policy: 'write,api,read,test' });
      const [group] = await client.print('/user/group', { query: ['name=mgmt'] });
      expect(group?.['policy']).toBe(
        'read,write,test,api,!local,!telnet,!ssh,!ftp,!reboot,!policy,!winbox,!password,!web,!sniff,!sensitive,!romon,!rest-api',
      );
      expect(await failure(client.add('/user/group', { name: 'bad', policy: 'read,fly' }))).toContain(
        'invalid value for argument policy',
      );
      expect(await failure(client.add('/user/group', { name: 'mgmt', policy: 'read' }))).toContain(
        'group with the same name already exists',
      );
      await client.execute('/user/group/remove', { '.id': 'mgmt' });
    });
  });

  it('refuses a changed password and a disabled user at the next login, leaving open sessions as they are', async () => {
    await asAdmin(async (client) => {
      await client.add('/user', { name: 'tech', group: 'full', password: 'first-pass' });
      const users = await client.print('/user', { query: ['name=tech'] });
      expect(users[0]).not.toHaveProperty('password');
    });
    const open = await connect('tech', 'first-pass');
    await asAdmin((client) => client.execute('/user/set', { '.id': 'tech', password: 'second-pass' }));
    expect(await failure(connect('tech', 'first-pass'))).toBe(
      'ISP_ERR_ROUTEROS_LOGIN_FAILED: invalid user name or password (6)',
    );
    const fresh = await connect('tech', 'second-pass');
    await fresh.close();
    await asAdmin((client) => client.execute('/user/disable', { '.id': 'tech' }));
    expect(await failure(connect('tech', 'second-pass'))).toBe(
      'ISP_ERR_ROUTEROS_LOGIN_FAILED: invalid user name or password (6)',
    );
    expect((await open.print('/system/identity'))[0]?.['name']).toBe('MikroTik');
    await open.close();
    await asAdmin((client) => client.execute('/user/remove', { '.id': 'tech' }));
  });

  it('refuses a login from outside the user’s address list', async () => {
    await asAdmin((client) =>
      client.add('/user', { name: 'noc', group: 'full', password: 'noc-pass', address: '127.0.70.128/25' }),
    );
    const inside = await connect('noc', 'noc-pass', { from: '127.0.70.200' });
    await inside.close();
    expect(await failure(connect('noc', 'noc-pass', { from: '127.0.70.100' }))).toBe(
      'ISP_ERR_ROUTEROS_LOGIN_FAILED: invalid user name or password (6)',
    );
    await asAdmin((client) => client.execute('/user/remove', { '.id': 'noc' }));
  });

  it('enforces group policies on every command', async () => {
    await asAdmin(async (client) => {
      await client.add('/user/group', { name: 'prov', policy: 'api,read,write,test' });
      await client.add('/user/group', { name: 'viewer', policy: 'api,read' });
      await client.add('/user/group', { name: 'winbox-only', policy: 'winbox,read,write' });
      await client.add('/user', { name: 'prov', group: 'prov', password: 'p' });
      await client.add('/user', { name: 'viewer', group: 'viewer', password: 'v' });
      await client.add('/user', { name: 'wb', group: 'winbox-only', password: 'w' });
      await client.add('/ppp/secret', { name: 'cust', password: 'ppp-secret' });
      await client.add('/interface/wireguard', { name: 'wg-policy' });
    });
    const denied = 'ISP_ERR_ROUTEROS_PERMISSION: not enough permissions (9)';
    const viewer = await connect('viewer', 'v');
    try {
      expect((await viewer.print('/system/identity'))[0]?.['name']).toBe('MikroTik');
      expect(await failure(viewer.execute('/system/identity/set', { name: 'x' }))).toBe(denied);
    } finally {
      await viewer.close();
    }
    const prov = await connect('prov', 'p');
    try {
      await prov.execute('/system/identity/set', { name: 'MikroTik' });
      // Users and groups need `policy`; secrets need `sensitive`.
      expect(await failure(prov.add('/user', { name: 'x', group: 'full', password: 'x' }))).toBe(denied);
      expect(
        await failure(prov.execute('/user/group/set', { '.id': 'prov', policy: 'api,read,write,policy' })),
      ).toBe(denied);
      expect((await prov.print('/ppp/secret', { query: ['name=cust'] }))[0]).not.toHaveProperty('password');
      const [wg] = await prov.print('/interface/wireguard', { query: ['name=wg-policy'] });
      expect(wg).not.toHaveProperty('private-key');
      expect(wg?.['public-key']).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    } finally {
      await prov.close();
    }
    expect(await failure(connect('wb', 'w'))).toBe(
      'ISP_ERR_ROUTEROS_LOGIN_FAILED: invalid user name or password (6)',
    );
    await asAdmin(async (client) => {
      const [secret] = await client.print('/ppp/secret', { query: ['name=cust'] });
      expect(secret?.['password']).toBe('ppp-secret');
      for (const name of ['prov', 'viewer', 'wb']) await client.execute('/user/remove', { '.id': name });
      expect(await failure(client.execute('/user/group/remove', { '.id': 'full' }))).toContain(
        'can not remove default group',
      );
      await client.execute('/ppp/secret/remove', { '.id': 'cust' });
      await client.execute('/interface/wireguard/remove', { '.id': 'wg-policy' });
    });
  });
});

describe('menus onboarding configures', () => {
  it('has the defconf DHCP client on ether1 and refuses a second client on one interface', async () => {
    await asAdmin(async (client) => {
      expect(await client.print('/ip/dhcp-client')).toEqual([
        expect.objectContaining({
          interface: 'ether1',
          'add-default-route': 'yes',
          'use-peer-dns': 'true',
          disabled: 'false',
          comment: 'defconf',
          status: 'searching...',
        }),
      ]);
      expect(await failure(client.add('/ip/dhcp-client', { interface: 'ether1' }))).toContain(
        'dhcp-client already exists on this interface',
      );
      expect(await failure(client.add('/ip/dhcp-client', { interface: 'ether9' }))).toContain(
        'input does not match any value of interface',
      );
    });
  });

  it('builds a LAN bridge, pool, DHCP server and hotspot with its profile', async () => {
    await asAdmin(async (client) => {
      await client.add('/interface/bridge', { name: 'br-lan' });
      await client.execute('/interface/bridge/port/set', {
        '.id':
          (await client.print('/interface/bridge/port', { query: ['interface=ether5'] }))[0]?.['.id'] ?? '',
        bridge: 'br-lan',
      });
      expect(
        await failure(client.add('/interface/bridge/port', { interface: 'ether5', bridge: 'br-lan' })),
      ).toContain('device already added as bridge port');
      await client.add('/ip/address', { address: '10.50.0.1/24', interface: 'br-lan' });
      await client.add('/ip/pool', { name: 'lan-pool', ranges: '10.50.0.10-10.50.0.250' });
      await client.add('/ip/dhcp-server', { name: 'lan', interface: 'br-lan', 'address-pool': 'lan-pool' });
      await client.add('/ip/dhcp-server/network', { address: '10.50.0.0/24', gateway: '10.50.0.1' });
      expect(
        await failure(
          client.add('/ip/hotspot/profile', { name: 'hsprof', 'hotspot-address': '10.50.0.300' }),
        ),
      ).toContain('invalid value for argument hotspot-address');
      await client.add('/ip/hotspot/profile', {
        name: 'hsprof',
        'hotspot-address': '10.50.0.1',
        'dns-name': 'wifi.isp.example',
      });
      expect(
        await failure(client.add('/ip/hotspot', { name: 'hs', interface: 'br-lan', profile: 'nope' })),
      ).toContain('input does not match any value of profile');
      await client.add('/ip/hotspot', {
        name: 'hs',
        interface: 'br-lan',
        profile: 'hsprof',
        'address-pool': 'lan-pool',
      });
      expect((await client.print('/ip/hotspot/profile')).map((row) => row['name'])).toEqual([
        'default',
        'hsprof',
      ]);
      expect(await client.print('/ip/hotspot/profile', { query: ['name=hsprof'] })).toEqual([
        expect.objectContaining({ 'hotspot-address': '10.50.0.1', 'dns-name': 'wifi.isp.example' }),
      ]);
      expect(await failure(client.execute('/ip/hotspot/profile/remove', { '.id': 'hsprof' }))).toContain(
        'profile is used by a server',
      );
      expect((await client.print('/interface', { query: ['name=br-lan'] }))[0]).toMatchObject({
        type: 'bridge',
      });
    }, 1);
  });

  it('derives a real X25519 public key from a WireGuard private key, generated when not given', async () => {
    // RFC 7748 §6.1: Alice's key pair.
    const alicePrivate = Buffer.from(
      '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
      'hex',
    ).toString('base64');
    const alicePublic = Buffer.from(
      '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
      'hex',
    ).toString('base64');
    await asAdmin(async (client) => {
      await client.add('/interface/wireguard', {
        name: 'wg-noc',
        'listen-port': '13231',
        'private-key': alicePrivate,
      });
      await client.add('/interface/wireguard', { name: 'wg-gen' });
      const rows = await client.print('/interface/wireguard');
      const noc = rows.find((row) => row['name'] === 'wg-noc');
      expect(noc).toMatchObject({
        'public-key': alicePublic,
        'private-key': alicePrivate,
        mtu: '1420',
        disabled: 'false',
      });
      const generated = rows.find((row) => row['name'] === 'wg-gen');
      const der = Buffer.concat([
        Buffer.from('302a300506032b656e032100', 'hex'),
        Buffer.from(generated?.['public-key'] ?? '', 'base64'),
      ]);
      expect(createPublicKey({ key: der, format: 'der', type: 'spki' }).asymmetricKeyType).toBe('x25519');
      expect(generated?.['private-key']).not.toBe(alicePrivate);
      expect(
        await failure(client.add('/interface/wireguard', { name: 'wg-bad', 'private-key': 'short' })),
      ).toContain('invalid value for argument private-key');
      expect((await client.print('/interface', { query: ['type=wg'] })).map((row) => row['name'])).toEqual([
        'wg-noc',
        'wg-gen',
      ]);

      await client.add('/interface/wireguard/peers', {
        interface: 'wg-noc',
        'public-key': generated?.['public-key'] ?? '',
        'endpoint-address': 'noc.isp.example',
        'endpoint-port': '51820',
        'allowed-address': '10.255.0.0/24',
        'persistent-keepalive': '25',
      });
      expect(await client.print('/interface/wireguard/peers')).toEqual([
        expect.objectContaining({
          interface: 'wg-noc',
          'endpoint-address': 'noc.isp.example',
          'endpoint-port': '51820',
          'allowed-address': '10.255.0.0/24',
          'persistent-keepalive': '25s',
        }),
      ]);
      expect(
        await failure(
          client.add('/interface/wireguard/peers', {
            interface: 'wg-noc',
            'public-key': generated?.['public-key'] ?? '',
          }),
        ),
      ).toContain('peer with such public key already exists');
      expect(
        await failure(
          client.add('/interface/wireguard/peers', { interface: 'wg-noc', 'public-key': 'nope' }),
        ),
      ).toContain('invalid value for argument public-key');
      expect(
        await failure(
          client.add('/interface/wireguard/peers', { interface: 'ether1', 'public-key': alicePublic }),
        ),
      ).toContain('input does not match any value of interface');
      await client.add('/ip/address', { address: '10.255.0.7/24', interface: 'wg-noc' });
      expect(await client.print('/ip/address', { query: ['interface=wg-noc'] })).toEqual([
        expect.objectContaining({ address: '10.255.0.7/24', network: '10.255.0.0' }),
      ]);
      await client.execute('/interface/wireguard/set', { '.id': 'wg-gen', name: 'wg-renamed' });
      expect((await client.print('/interface', { query: ['type=wg'] })).map((row) => row['name'])).toContain(
        'wg-renamed',
      );
    });
  });

  it('signs a real self-signed certificate that api-ssl then serves, pinned by its fingerprint', async () => {
    const router = lab.routers[0]!;
    const ssl = (fingerprint256: string): Promise<RouterClient> =>
      RouterClient.connect({
        host: router.address,
        port: router.sslPort!,
        user: 'admin',
        password: '',
        timeoutMs: 5000,
        tls: { fingerprint256 },
      });
    // No certificate yet: RouterOS would offer anonymous DH only; the simulator closes.
    expect(await failure(ssl('AA'.repeat(32)))).toMatch(/^ISP_ERR_ROUTEROS_/);
    await asAdmin(async (client) => {
      await client.add('/certificate', {
        name: 'api',
        'common-name': 'rtr-01',
        'days-valid': '3650',
        'key-size': 'prime256v1',
        'subject-alt-name': `IP:${router.address}`,
      });
      await client.execute('/certificate/sign', { '.id': 'api' });
      await client.execute('/ip/service/set', { '.id': 'api-ssl', certificate: 'api' });
      expect(
        await failure(client.execute('/ip/service/set', { '.id': 'api-ssl', certificate: 'nope' })),
      ).toContain('input does not match any value of certificate');
    });
    const [cert] = await asAdmin((client) => client.print('/certificate', { query: ['name=api'] }));
    expect(cert).toMatchObject({
      'private-key': 'true',
      trusted: 'true',
      'key-type': 'ec',
      'common-name': 'rtr-01',
    });
    expect(Object.keys(cert ?? {}).some((key) => key.includes('pem'))).toBe(false);
    const fingerprint = cert?.['fingerprint'] ?? '';
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const validFor = Date.parse(`${cert?.['invalid-after']?.replace(' ', 'T') ?? ''}Z`) - Date.now();
    expect(Math.abs(validFor - 3650 * 86_400_000)).toBeLessThan(86_400_000);
    const secure = await ssl(fingerprint);
    try {
      expect((await secure.print('/system/identity'))[0]?.['name']).toBe('MikroTik');
    } finally {
      await secure.close();
    }
    expect(await failure(ssl('AB'.repeat(32)))).toContain('ISP_ERR_ROUTEROS_TLS_FINGERPRINT');
  });

  it('gives each router its own serial and MACs, with the board and version a factory router reports', async () => {
    const [first, second] = await Promise.all(
      [0, 1].map((router) =>
        asAdmin(
          async (client) => ({
            board: (await client.print('/system/routerboard'))[0],
            resource: (await client.print('/system/resource'))[0],
            identity: (await client.print('/system/identity'))[0],
            mac: (await client.print('/interface', { query: ['name=ether1'] }))[0]?.['mac-address'],
          }),
          router,
        ),
      ),
    );
    expect(first?.board).toMatchObject({
      model: 'RBD52G-5HacD2HnD',
      'current-firmware': '7.20',
      routerboard: 'true',
    });
    expect(first?.board?.['serial-number']).toMatch(/^[0-9A-F]{12}$/);
    expect(first?.board?.['serial-number']).not.toBe(second?.board?.['serial-number']);
    expect(first?.mac).not.toBe(second?.mac);
    expect(first?.resource).toMatchObject({
      version: '7.20 (stable)',
      'board-name': 'hAP ac^2',
      platform: 'MikroTik',
    });
    expect(first?.identity?.['name']).toBe('MikroTik');
  });

  it('ships the defconf DNS, discovery and MAC-access settings, and takes the hardening guide’s changes', async () => {
    await asAdmin(async (client) => {
      expect((await client.print('/ip/dns'))[0]).toMatchObject({ 'allow-remote-requests': 'true' });
      expect(await client.print('/ip/dns/static')).toEqual([
        expect.objectContaining({ name: 'router.lan', address: '192.168.88.1', comment: 'defconf' }),
      ]);
      expect((await client.print('/tool/mac-server'))[0]).toMatchObject({ 'allowed-interface-list': 'LAN' });
      await client.execute('/tool/mac-server/set', { 'allowed-interface-list': 'none' });
      await client.execute('/tool/mac-server/mac-winbox/set', { 'allowed-interface-list': 'LAN' });
      await client.execute('/tool/bandwidth-server/set', { enabled: 'no' });
      await client.execute('/ip/proxy/set', { enabled: 'no' });
      await client.execute('/ip/ssh/set', { 'strong-crypto': 'yes' });
      expect(
        await failure(client.execute('/tool/mac-server/set', { 'allowed-interface-list': 'WLAN' })),
      ).toContain('input does not match any value of interface-list');
      expect((await client.print('/tool/bandwidth-server'))[0]).toMatchObject({ enabled: 'false' });
      expect((await client.print('/ip/ssh'))[0]).toMatchObject({ 'strong-crypto': 'true' });
    }, 1);
  });

  it('drops what does not come from the LAN on the defconf input chain', async () => {
    const rules = await asAdmin((client) => client.print('/ip/firewall/filter', { query: ['chain=input'] }));
    expect(rules.map((rule) => rule['comment'])).toEqual([
      'defconf: accept established,related,untracked',
      'defconf: drop invalid',
      'defconf: accept ICMP',
      'defconf: accept to local loopback (for CAPsMAN)',
      'defconf: drop all not coming from LAN',
    ]);
    expect(rules.at(-1)).toMatchObject({ action: 'drop', 'in-interface-list': '!LAN' });
    const control = lab.control(0);
    // The WAN (ether1) has no address in the simulator: a packet from outside 192.168.88.0/24.
    expect(
      control.packet({ src: '203.0.113.9', dst: '192.168.88.1', protocol: 'tcp', dstPort: 8728 }),
    ).toMatchObject({
      verdict: 'drop',
    });
    expect(
      control.packet({ src: '192.168.88.20', dst: '192.168.88.1', protocol: 'tcp', dstPort: 8728 }),
    ).toMatchObject({
      verdict: 'accept',
    });
    expect(control.packet({ src: '203.0.113.9', dst: '192.168.88.1', protocol: 'icmp' })).toMatchObject({
      verdict: 'accept',
    });
  });
});

import { RouterClient } from '@isp/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startLab } from '../src/index';
import type { Lab } from '../src/index';

// This file owns 127.0.6.x.
let lab: Lab;
let c: RouterClient;

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error,
  );
}

beforeAll(async () => {
  lab = await startLab({ host: '127.0.6.1', port: 0 });
  const router = lab.routers[0]!;
  c = await RouterClient.connect({ host: router.address, port: router.port, user: 'admin', password: '' });
});

afterAll(async () => {
  await c.close();
  await lab.close();
});

// One valid item per list menu, added in this order (later ones refer to earlier ones).
const ADDS: readonly (readonly [string, Record<string, string>])[] = [
  ['/interface/bridge', { name: 'br-isp' }],
  ['/interface/bridge/port', { interface: 'ether1', bridge: 'br-isp' }],
  ['/ip/address', { address: '10.20.0.1/16', interface: 'br-isp' }],
  ['/ip/pool', { name: 'isp-pool', ranges: '10.20.1.1-10.20.255.254' }],
  ['/ip/dhcp-server', { name: 'dhcp-isp', interface: 'br-isp', 'address-pool': 'isp-pool' }],
  ['/ip/dhcp-server/network', { address: '10.20.0.0/16', gateway: '10.20.0.1' }],
  [
    '/ip/dhcp-server/lease',
    { address: '10.20.0.15', 'mac-address': 'AA:BB:CC:00:00:01', server: 'dhcp-isp' },
  ],
  ['/ppp/profile', { name: '10M', 'rate-limit': '5M/10M' }],
  ['/ppp/secret', { name: 'cust1', password: 'pw', service: 'pppoe', profile: '10M' }],
  ['/queue/simple', { name: 'q-cust1', target: '10.20.0.15', 'max-limit': '5M/10M' }],
  ['/ip/firewall/address-list', { list: 'isp-suspended', address: '10.20.0.15' }],
  ['/ip/firewall/filter', { chain: 'forward', action: 'drop', 'src-address-list': 'isp-suspended' }],
  [
    '/ip/firewall/nat',
    { chain: 'dstnat', action: 'dst-nat', 'to-addresses': '10.0.0.1', protocol: 'tcp', 'dst-port': '80' },
  ],
  ['/ip/hotspot', { name: 'hs1', interface: 'ether4' }],
  ['/ip/hotspot/user/profile', { name: 'hs-10M', 'rate-limit': '10M/10M' }],
  ['/ip/hotspot/user', { name: 'guest', password: 'x', profile: 'hs-10M' }],
  ['/ip/hotspot/walled-garden', { 'dst-host': 'portal.isp.example' }],
  ['/user/group', { name: 'provisioner', policy: 'api,read,write,test' }],
  ['/user', { name: 'prov', group: 'provisioner', password: 'pw' }],
  ['/certificate', { name: 'api-cert', 'common-name': 'router' }],
  ['/system/script', { name: 'noop', source: ':log info "x"' }],
];

// What a second identical add must answer, where the menu has a uniqueness rule.
const DUPLICATES: Readonly<Record<string, string>> = {
  '/ip/address': 'failure: already have such address',
  '/ip/dhcp-server': 'failure: server with such name already exists',
  '/ip/dhcp-server/network': 'failure: such network already exists',
  '/ip/dhcp-server/lease': 'failure: already have static lease for this client',
  '/ppp/secret': 'failure: secret with the same name already exists',
  '/queue/simple': 'failure: already have such name',
  '/ip/firewall/address-list': 'failure: already have such entry',
  '/ip/hotspot/user': 'failure: already have user with this name for this server',
};

describe('simulated menus', () => {
  it.each(ADDS)(
    '%s: add returns an id, prints it, rejects a duplicate where RouterOS does, and removes it',
    async (menu, values) => {
      const id = await c.add(menu, values);
      expect(id).toMatch(/^\*[0-9A-F]+$/);
      const [row] = await c.print(menu, { query: [`.id=${id}`] });
      expect(row?.['.id']).toBe(id);
      const duplicate = DUPLICATES[menu];
      if (duplicate !== undefined) {
        expect(await refusal(c.add(menu, values))).toMatchObject({
          code: 'ISP_ERR_ROUTEROS_DUPLICATE',
          message: duplicate,
        });
      }
      await c.set(menu, id, { comment: 'isp:test' });
      expect((await c.print(menu, { query: [`.id=${id}`], proplist: ['comment'] }))[0]).toEqual({
        comment: 'isp:test',
      });
    },
  );

  it('refuses two static leases on one address but not on 0.0.0.0 (from the pool)', async () => {
    const lease = '/ip/dhcp-server/lease';
    const ids = [
      await c.add(lease, { address: '0.0.0.0', 'mac-address': 'AA:BB:CC:00:01:01' }),
      await c.add(lease, { address: '0.0.0.0', 'mac-address': 'AA:BB:CC:00:01:02' }),
      await c.add(lease, { address: '10.20.9.9', 'mac-address': 'AA:BB:CC:00:01:03' }),
    ];
    expect(
      await refusal(c.add(lease, { address: '10.20.9.9', 'mac-address': 'AA:BB:CC:00:01:04' })),
    ).toMatchObject({
      message: 'failure: already have static lease with this IP address',
    });
    await c.remove(lease, ids.join(','));
  });

  it('removes in reverse order, refusing a group that still has users', async () => {
    expect(await refusal(c.remove('/user/group', 'provisioner'))).toMatchObject({
      message: 'failure: group has some users',
    });
    for (const [menu] of [...ADDS].reverse()) {
      const [row] = await c.print(menu, { query: ['comment=isp:test'], proplist: ['.id'] });
      await c.remove(menu, row?.['.id'] ?? '');
    }
    expect(await refusal(c.remove('/queue/simple', '*FFFF'))).toMatchObject({
      code: 'ISP_ERR_ROUTEROS_NOT_FOUND',
      message: 'no such item',
    });
  });

  it('shows the read-only system menus and services as shipped', async () => {
    expect((await c.print('/system/resource'))[0]).toMatchObject({
      version: '7.20 (stable)',
      platform: 'MikroTik',
    });
    expect((await c.print('/system/routerboard'))[0]).toMatchObject({ routerboard: 'true' });
    const services = await c.print('/ip/service', { proplist: ['.id', 'name', 'port', 'disabled'] });
    expect(services[0]).toEqual({ '.id': '*0', name: 'telnet', port: '23', disabled: 'false' });
    expect(services.map((row) => row['name'])).toEqual([
      'telnet',
      'ftp',
      'www',
      'ssh',
      'www-ssl',
      'api',
      'winbox',
      'api-ssl',
    ]);
    expect(await refusal(c.add('/ip/service', { name: 'x', port: '1' }))).toMatchObject({
      message: 'no such command',
    });
    expect(await refusal(c.set('/ip/service', 'api', { port: '70000' }))).toMatchObject({
      code: 'ISP_ERR_ROUTEROS_BAD_VALUE',
      message: 'value of port out of range (1..65535)',
    });
  });

  it('reads /ppp/active sessions made through the control interface and removes them', async () => {
    await c.add('/ppp/secret', {
      name: 'online',
      password: 'pw',
      service: 'pppoe',
      'remote-address': '10.20.0.99',
    });
    const session = lab.control(0).pppConnect({ name: 'online', password: 'pw', mac: 'AA:BB:CC:00:00:99' });
    if (!('id' in session)) throw new Error(`refused: ${session.refused}`);
    const [active] = await c.print('/ppp/active', { query: ['name=online'], proplist: ['.id', 'address'] });
    expect(active).toEqual({ '.id': session.id, address: '10.20.0.99' });
    await c.remove('/ppp/active', session.id);
    expect(await c.count('/ppp/active')).toBe(0);
  });

  it('hides ppp secret passwords from users without the sensitive policy and never prints user passwords', async () => {
    await c.add('/user', { name: 'writer', group: 'write', password: 'pw' });
    const router = lab.routers[0]!;
    const writer = await RouterClient.connect({
      host: router.address,
      port: router.port,
      user: 'writer',
      password: 'pw',
    });
    try {
      expect((await writer.print('/ppp/secret', { query: ['name=online'] }))[0]).not.toHaveProperty(
        'password',
      );
      expect((await c.print('/ppp/secret', { query: ['name=online'] }))[0]).toHaveProperty('password', 'pw');
      expect((await c.print('/user', { proplist: ['name', 'password'] }))[0]).toEqual({ name: 'admin' });
      expect(await refusal(writer.add('/user', { name: 'x', group: 'full', password: '' }))).toMatchObject({
        code: 'ISP_ERR_ROUTEROS_PERMISSION',
      });
    } finally {
      await writer.close();
    }
  });

  it('creates and signs a certificate and assigns it to api-ssl', async () => {
    await c.add('/certificate', { name: 'api-ssl', 'common-name': '192.168.88.1', 'days-valid': '3650' });
    await c.execute('/certificate/sign', { '.id': 'api-ssl' });
    expect((await c.print('/certificate', { query: ['name=api-ssl'] }))[0]).toMatchObject({
      'private-key': 'true',
      trusted: 'true',
    });
    await c.set('/ip/service', 'api-ssl', { certificate: 'api-ssl' });
    expect((await c.print('/ip/service', { query: ['name=api-ssl'], proplist: ['certificate'] }))[0]).toEqual(
      { certificate: 'api-ssl' },
    );
  });
});

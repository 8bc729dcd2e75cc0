import { RouterClient } from '@isp/routeros';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startControlApi, startLab } from '../src/index';
import type { ControlApi, Lab } from '../src/index';

// This file owns 127.0.11.x.
const ROUTER = '127.0.11.1';
let lab: Lab;
let api: ControlApi;
let admin: RouterClient;

async function call(
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://${api.address}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const post = (what: string, body: unknown): ReturnType<typeof call> =>
  call(`/routers/${ROUTER}/${what}`, body);
const verdictFor = async (src: string): Promise<Record<string, unknown>> =>
  (await post('packet', { src, dst: '1.1.1.1', protocol: 'tcp', dst_port: 443 })).body;

beforeAll(async () => {
  lab = await startLab({ host: ROUTER, port: 0, count: 1 });
  api = await startControlApi(lab, { host: '127.0.11.250', port: 0 });
  admin = await lab.adminClient(0);
});

afterAll(async () => {
  await admin.close();
  await api.close();
  await lab.close();
});

beforeEach(async () => {
  for (const menu of ['/ip/dhcp-server/lease', '/ppp/secret', '/ppp/active', '/ip/firewall/filter']) {
    const rows = await admin.print(menu, { proplist: ['.id', 'comment'] });
    const ours = rows
      .filter((row) => !(row['comment'] ?? '').startsWith('defconf'))
      .map((row) => row['.id'] ?? '');
    if (ours.length > 0) await admin.remove(menu, ours.join(','));
  }
});

describe('control API', () => {
  it('lists the routers and refuses what it does not know', async () => {
    expect((await call('/routers')).body).toEqual([
      {
        address: ROUTER,
        port: lab.routers[0]?.port,
        identity: 'MikroTik',
        version: '7.20',
        serial: lab.control(0).rows('/system/routerboard')[0]?.['serial-number'],
      },
    ]);
    expect(await post('mndp/announce', {})).toEqual({ status: 409, body: { error: 'mndp-off' } });
    expect((await call('/routers/127.0.11.9/packet', {})).status).toBe(404);
    expect((await call(`/routers/${ROUTER}/teleport`, {})).status).toBe(404);
    expect(await post('packet', { src: 'x', dst: '1.1.1.1', protocol: 'tcp' })).toEqual({
      status: 400,
      body: { error: 'src: an IPv4 address' },
    });
    expect((await post('packet', '{not json')).status).toBe(400);
    expect((await post('dhcp/bind', { mac: 'AA:BB:CC:DD:EE:01', extra: 1 })).status).toBe(400);
    await expect(startControlApi(lab, { host: '0.0.0.0', port: 0 })).rejects.toThrow(/loopback only/);
  });

  it('applies a static lease’s rate-limit and address-lists while it is bound, changes at once, and not after release', async () => {
    const id = await admin.add('/ip/dhcp-server/lease', {
      'mac-address': 'AA:BB:CC:DD:EE:01',
      address: '0.0.0.0',
      'rate-limit': '5M/20M',
      'address-lists': 'cut',
    });
    await admin.add('/ip/firewall/filter', { chain: 'forward', 'src-address-list': 'cut', action: 'drop' });
    const bound = await post('dhcp/bind', { mac: 'AA:BB:CC:DD:EE:01' });
    expect(bound.status).toBe(200);
    const address = String(bound.body['address']);
    expect(await verdictFor(address)).toMatchObject({ verdict: 'drop', limit: '5M/20M' });
    expect(await admin.print('/queue/simple', { query: ['dynamic=true'] })).toMatchObject([
      { target: `${address}/32`, 'max-limit': '5000000/20000000', dynamic: 'true' },
    ]);

    await admin.set('/ip/dhcp-server/lease', id, { 'rate-limit': '10M/50M', 'address-lists': '' });
    expect(await verdictFor(address)).toMatchObject({ verdict: 'accept', limit: '10M/50M' });

    expect((await post('dhcp/release', { mac: 'AA:BB:CC:DD:EE:01' })).body).toEqual({ released: true });
    expect(await verdictFor(address)).toMatchObject({ verdict: 'accept', limit: null });
  });

  it('gives no lease to a blocked client', async () => {
    await admin.add('/ip/dhcp-server/lease', { 'mac-address': 'AA:BB:CC:DD:EE:02', 'block-access': 'yes' });
    expect(await post('dhcp/bind', { mac: 'AA:BB:CC:DD:EE:02' })).toEqual({
      status: 403,
      body: { error: 'blocked' },
    });
  });

  it('dials PPPoE clients in against the secrets and their profile, and ends the session’s effects with it', async () => {
    await admin.add('/ip/pool', { name: 'pppoe-pool', ranges: '10.30.0.2-10.30.0.254' });
    await admin.add('/ppp/profile', {
      name: 'plan-10',
      'remote-address': 'pppoe-pool',
      'local-address': '10.30.0.1',
      'rate-limit': '2M/10M',
    });
    await admin.add('/ppp/profile', { name: 'no-pool', 'rate-limit': '2M/10M' });
    await admin.add('/ppp/secret', { name: 'ana', password: 'pw', service: 'pppoe', profile: 'plan-10' });
    await admin.add('/ppp/secret', { name: 'off', password: 'pw', disabled: 'yes' });
    await admin.add('/ppp/secret', { name: 'lost', password: 'pw', profile: 'no-pool' });

    expect(await post('ppp/connect', { name: 'ana', password: 'bad' })).toEqual({
      status: 403,
      body: { error: 'authentication-failed' },
    });
    expect((await post('ppp/connect', { name: 'off', password: 'pw' })).status).toBe(403);
    // A profile's empty remote-address is not taken from the default profile.
    expect(await post('ppp/connect', { name: 'lost', password: 'pw' })).toEqual({
      status: 409,
      body: { error: 'no-address' },
    });

    const session = await post('ppp/connect', { name: 'ana', password: 'pw', mac: 'AA:BB:CC:00:00:01' });
    expect(session).toMatchObject({ status: 200, body: { address: '10.30.0.2' } });
    expect(await verdictFor('10.30.0.2')).toMatchObject({ verdict: 'accept', limit: '2M/10M' });
    expect(
      await admin.print('/interface', { query: ['name=<pppoe-ana>'], proplist: ['type', 'dynamic'] }),
    ).toEqual([{ type: 'pppoe-in', dynamic: 'true' }]);

    await admin.remove('/ppp/active', String(session.body['id']));
    expect(await verdictFor('10.30.0.2')).toMatchObject({ limit: null });
    expect(await admin.print('/interface', { query: ['name=<pppoe-ana>'] })).toEqual([]);
  });

  it('logs hotspot users in from a leased address, by password and bound MAC', async () => {
    await admin.add('/ip/hotspot/user/profile', {
      name: 'voucher',
      'rate-limit': '1M/4M',
      'shared-users': '1',
    });
    await admin.add('/ip/hotspot/user', { name: 'v1', password: 'abc', profile: 'voucher' });
    expect(await post('hotspot/login', { user: 'v1', password: 'abc', mac: 'AA:BB:CC:DD:EE:03' })).toEqual({
      status: 409,
      body: { error: 'no-address' },
    });
    const lease = await post('dhcp/bind', { mac: 'AA:BB:CC:DD:EE:03' });
    expect(
      (await post('hotspot/login', { user: 'v1', password: 'no', mac: 'AA:BB:CC:DD:EE:03' })).status,
    ).toBe(403);
    expect(
      await post('hotspot/login', { user: 'v1', password: 'abc', mac: 'AA:BB:CC:DD:EE:03' }),
    ).toMatchObject({
      status: 200,
      body: { address: lease.body['address'] },
    });
    expect(await admin.print('/ip/hotspot/active', { proplist: ['user', 'mac-address'] })).toEqual([
      { user: 'v1', 'mac-address': 'AA:BB:CC:DD:EE:03' },
    ]);
    expect(await verdictFor(String(lease.body['address']))).toMatchObject({ limit: '1M/4M' });
    expect(await post('hotspot/login', { user: 'v1', password: 'abc', mac: 'AA:BB:CC:DD:EE:03' })).toEqual({
      status: 403,
      body: { error: 'shared-users' },
    });
  });

  it('injects network faults', async () => {
    expect((await post('faults', { latency_ms: 40 })).status).toBe(200);
    const started = performance.now();
    await admin.print('/system/identity');
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    await post('faults', { latency_ms: 0 });
    expect((await post('faults', { latency_ms: -1 })).status).toBe(400);
  });
});

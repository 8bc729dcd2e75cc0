import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';

import { leaseScript, RouterClient } from '@isp/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startLab } from '../src/index';
import type { Lab } from '../src/index';

// This file owns 127.0.5.x.
interface Received {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let lab: Lab;
let http: Server;
let port = 0;
const received: Received[] = [];

beforeAll(async () => {
  http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.statusCode = 202;
      res.end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.5.250', resolve));
  port = (http.address() as { port: number }).port;
  lab = await startLab({ host: '127.0.5.1', port: 0 });
});

afterAll(async () => {
  await lab.close();
  http.close();
});

describe('DHCP lease events', () => {
  it('runs the lease-script /tool fetch for real on bind and on release, with the lease variables', async () => {
    const router = lab.routers[0]!;
    const client = await RouterClient.connect({
      host: router.address,
      port: router.port,
      user: 'admin',
      password: '',
    });
    try {
      await client.execute('/system/identity/set', { name: 'rtr-01' });
      await client.execute('/ip/dhcp-server/set', {
        '.id': 'defconf',
        'lease-script': leaseScript({
          gatewayUrl: `http://127.0.5.250:${port}`,
          token: 'tok123',
          checkCertificate: false,
        }),
      });
      await client.add('/ip/dhcp-server/lease', {
        'mac-address': 'aa:bb:cc:dd:ee:01',
        address: '192.168.88.50',
        server: 'defconf',
        comment: 'isp:SUB1',
      });
    } finally {
      await client.close();
    }
    const control = lab.control(0);
    expect(control.dhcpBind({ mac: 'AA:BB:CC:DD:EE:01', hostname: 'ONU-1' })).toMatchObject({
      address: '192.168.88.50',
    });
    await control.settled();
    expect(control.dhcpRelease({ mac: 'aa:bb:cc:dd:ee:01' })).toBe(true);
    await control.settled();

    expect(received).toHaveLength(2);
    expect(received[0]?.url).toBe('/v1/dhcp/lease');
    expect(received[0]?.headers).toMatchObject({
      authorization: 'Bearer tok123',
      'content-type': 'application/json',
      'user-agent': 'RouterOS 7.20',
    });
    expect(JSON.parse(received[0]?.body ?? '')).toEqual({
      mac: 'AA:BB:CC:DD:EE:01',
      ip: '192.168.88.50',
      bound: true,
      server: 'defconf',
      hostname: 'ONU-1',
      router: 'rtr-01',
      serial: control.rows('/system/routerboard')[0]?.['serial-number'],
    });
    expect((JSON.parse(received[0]?.body ?? '') as { serial: string }).serial).toMatch(/^[0-9A-F]{12}$/);
    expect(JSON.parse(received[1]?.body ?? '')).toMatchObject({ bound: false, mac: 'AA:BB:CC:DD:EE:01' });
    const lease = control.rows('/ip/dhcp-server/lease')[0];
    expect(lease).toMatchObject({ status: 'waiting', dynamic: 'false' });
    expect(lease).not.toHaveProperty('active-address');
  });

  it('gives a dynamic lease from the pool to an unknown client and records a script failure instead of throwing', async () => {
    const control = lab.control(0);
    const bound = control.dhcpBind({ mac: 'AA:BB:CC:DD:EE:02' });
    if (!('id' in bound)) throw new Error(`refused: ${bound.refused}`);
    expect(bound.address).toMatch(/^192\.168\.88\.\d+$/);
    expect(control.rows('/ip/dhcp-server/lease').find((row) => row['.id'] === bound.id)).toMatchObject({
      dynamic: 'true',
      status: 'bound',
    });
    http.close();
    await control.settled();
    expect(control.fetches.at(-1)?.outcome).toHaveProperty('error');
  });

  it('fails a script that reads a menu the router does not have, and reads the live uptime', async () => {
    const client = await lab.adminClient(0);
    try {
      await client.add('/system/script', {
        name: 'typo',
        source: ':local s [/system routerbaord get serial-number]',
      });
      await expect(client.execute('/system/script/run', { '.id': 'typo' })).rejects.toThrow(
        'bad command name routerbaord',
      );
      await client.add('/system/script', {
        name: 'uptime',
        source: `:local up [/system resource get uptime]
:if ($up = "") do={ /tool fetch url="http://127.0.5.250:1/none" }`,
      });
      await client.execute('/system/script/run', { '.id': 'uptime' });
    } finally {
      await client.close();
    }
  });
});

describe('the lease-script on a RouterBOARD and on a CHR', () => {
  it('posts the serial from a RouterBOARD and an empty one from a CHR, which has no /system routerboard', async () => {
    const posted: string[] = [];
    const gateway = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        posted.push(Buffer.concat(chunks).toString('utf8'));
        res.statusCode = 202;
        res.end();
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.5.251', resolve));
    const gatewayPort = (gateway.address() as { port: number }).port;
    const boards = await startLab({ host: '127.0.5.21', port: 0, count: 2, platforms: [undefined, 'chr'] });
    try {
      const script = leaseScript({
        gatewayUrl: `http://127.0.5.251:${gatewayPort}`,
        token: 'tok123',
        checkCertificate: false,
      });
      for (const index of [0, 1]) {
        const client = await boards.adminClient(index);
        try {
          await client.execute('/system/identity/set', { name: `rtr-${index}` });
          await client.execute('/ip/dhcp-server/set', { '.id': 'defconf', 'lease-script': script });
        } finally {
          await client.close();
        }
      }
      // The CHR has no such menu: the API answers as for any unknown path.
      const chr = await boards.adminClient(1);
      try {
        await expect(chr.print('/system/routerboard')).rejects.toThrow('no such command or directory');
      } finally {
        await chr.close();
      }

      const bodies: Record<string, string>[] = [];
      for (const index of [0, 1]) {
        const control = boards.control(index);
        control.dhcpBind({ mac: `AA:BB:CC:DD:EF:0${index}` });
        await control.settled();
        expect(control.fetches.at(-1)?.outcome).not.toHaveProperty('error');
        bodies.push(JSON.parse(posted.at(-1) ?? '{}') as Record<string, string>);
      }
      expect(bodies[0]).toMatchObject({ router: 'rtr-0', serial: boards.control(0).serial });
      expect(bodies[0]?.['serial']).toMatch(/^[0-9A-F]{12}$/);
      expect(bodies[1]).toMatchObject({ router: 'rtr-1', serial: '', mac: 'AA:BB:CC:DD:EF:01', bound: true });
    } finally {
      await boards.close();
      gateway.close();
    }
  });

  it('refuses on a CHR, before its first line, a script that reads /system routerboard directly', async () => {
    const boards = await startLab({ host: '127.0.5.31', port: 0, count: 1, platforms: ['chr'] });
    try {
      const client = await boards.adminClient(0);
      try {
        await client.add('/system/script', {
          name: 'direct',
          source: `/tool fetch url="http://127.0.5.250:1/first"
:local serial [/system routerboard get serial-number]`,
        });
        await expect(client.execute('/system/script/run', { '.id': 'direct' })).rejects.toThrow(
          'bad command name routerboard',
        );
      } finally {
        await client.close();
      }
      expect(boards.control(0).fetches).toEqual([]);
    } finally {
      await boards.close();
    }
  });
});

import { createServer } from 'node:http';
import type { Server } from 'node:http';

import { isRouterOsError, RouterClient } from '@isp/routeros';
import type { CommandTiming, Row } from '@isp/routeros';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startLab } from '../src/index';
import type { Lab } from '../src/index';
import { makeSelfSignedCertificate, rejectionOf, type TlsFixture } from '@isp/testing';

// This file owns 127.0.3.x; ports are picked by the OS.
let lab: Lab;
let certificate: TlsFixture;
const clients: RouterClient[] = [];

async function client(
  options: { user?: string; password?: string; timeoutMs?: number; router?: number } = {},
): Promise<RouterClient> {
  const router = lab.routers[options.router ?? 0];
  if (router === undefined) throw new Error('no router');
  const connected = await RouterClient.connect({
    host: router.address,
    port: router.port,
    user: options.user ?? 'admin',
    password: options.password ?? '',
    timeoutMs: options.timeoutMs ?? 5000,
  });
  clients.push(connected);
  return connected;
}

beforeAll(async () => {
  certificate = makeSelfSignedCertificate();
  lab = await startLab({
    host: '127.0.3.1',
    port: 0,
    count: 2,
    version: '7.20',
    tls: { ...certificate, port: 0 },
  });
});

afterEach(async () => {
  for (const control of [lab.control(0), lab.control(1)]) control.clearFaults();
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await lab.close();
});

describe(RouterClient.name, () => {
  describe('connect', () => {
    it('logs in to a factory-default router as admin with an empty password', async () => {
      const c = await client();
      expect(await c.print('/system/identity')).toEqual([{ name: 'MikroTik' }]);
    });

    it('fails with a typed login error on a wrong password', async () => {
      const error = await rejectionOf(client({ password: 'wrong' }));
      expect(error).toMatchObject({
        code: 'ISP_ERR_ROUTEROS_LOGIN_FAILED',
        message: 'invalid user name or password (6)',
      });
    });

    it('verifies TLS against a CA and accepts a pinned fingerprint', async () => {
      const router = lab.routers[0]!;
      const base = { host: router.address, port: router.sslPort!, user: 'admin', password: '' };
      const verified = await RouterClient.connect({ ...base, tls: { ca: certificate.cert } });
      clients.push(verified);
      expect(await verified.count('/interface')).toBeGreaterThan(0);
      const pinned = await RouterClient.connect({
        ...base,
        tls: { fingerprint256: certificate.fingerprint256 },
      });
      clients.push(pinned);
      expect(await pinned.print('/system/identity')).toHaveLength(1);
    });

    it('refuses a wrong pinned fingerprint and an unverifiable certificate', async () => {
      const router = lab.routers[0]!;
      const base = { host: router.address, port: router.sslPort!, user: 'admin', password: '' };
      expect(
        await rejectionOf(RouterClient.connect({ ...base, tls: { fingerprint256: 'AA'.repeat(32) } })),
      ).toMatchObject({
        code: 'ISP_ERR_ROUTEROS_TLS_FINGERPRINT',
      });
      expect(await rejectionOf(RouterClient.connect({ ...base, tls: true }))).toMatchObject({
        code: 'ISP_ERR_ROUTEROS_CONNECT_FAILED',
      });
    });

    it('fails with a typed error when the router refuses connections', async () => {
      lab.control(0).refuseConnections(true);
      const error = await rejectionOf(client());
      expect(isRouterOsError(error, 'ISP_ERR_ROUTEROS_CONNECT_FAILED')).toBe(true);
    });
  });

  describe('print', () => {
    it('limits properties with .proplist and filters with the query stack', async () => {
      const c = await client();
      const rows = await c.print('/ip/firewall/filter', {
        proplist: ['comment'],
        query: ['chain=input', 'action=drop', '#&'],
      });
      expect(rows).toEqual([
        { comment: 'defconf: drop invalid' },
        { comment: 'defconf: drop all not coming from LAN' },
      ]);
      expect(await c.count('/ip/firewall/filter', { query: ['chain=forward'] })).toBe(6);
    });

    it('reports !empty on 7.18+ when nothing matches', async () => {
      const c = await client();
      const result = await c.execute('/queue/simple/print', {}, ['name=nothing']);
      expect(result).toEqual({ rows: [], done: {}, empty: true });
    });

    it('returns two traps for an unknown menu and keeps both', async () => {
      const c = await client();
      const error = await rejectionOf(c.print('/system/nothing'));
      expect(error).toMatchObject({
        code: 'ISP_ERR_ROUTEROS_NO_SUCH_COMMAND',
        message: 'no such command or directory (nothing)',
        traps: [
          { message: 'no such command or directory (nothing)', category: 0 },
          { message: 'no such command prefix', category: 0 },
        ],
      });
    });
  });

  describe('add, set and remove', () => {
    it('adds with =ret=, normalises values, sets and removes', async () => {
      const c = await client();
      const id = await c.add('/queue/simple', {
        name: 'cust-1',
        target: '10.0.0.8',
        'max-limit': '5M/20M',
        comment: 'isp:S1',
      });
      expect(id).toMatch(/^\*[0-9A-F]+$/);
      await c.set('/queue/simple', id, { 'max-limit': '10M/40M' });
      const [row] = await c.print('/queue/simple', {
        query: [`.id=${id}`],
        proplist: ['target', 'max-limit', 'comment'],
      });
      expect(row).toEqual({ target: '10.0.0.8/32', 'max-limit': '10000000/40000000', comment: 'isp:S1' });
      await c.remove('/queue/simple', id);
      expect(await c.count('/queue/simple', { query: ['name=cust-1'] })).toBe(0);
    });

    it('surfaces RouterOS refusals as typed errors with the router text', async () => {
      const c = await client();
      await c.add('/ppp/secret', { name: 'dup', password: 'x', service: 'pppoe' });
      const cases: readonly [Promise<unknown>, string, string][] = [
        [
          c.add('/ppp/secret', { name: 'dup' }),
          'ISP_ERR_ROUTEROS_DUPLICATE',
          'failure: secret with the same name already exists',
        ],
        [c.set('/ppp/secret', '*FFFF', { password: 'y' }), 'ISP_ERR_ROUTEROS_NOT_FOUND', 'no such item'],
        [
          c.add('/ppp/secret', { name: 'x', colour: 'red' }),
          'ISP_ERR_ROUTEROS_UNKNOWN_PARAMETER',
          'unknown parameter colour',
        ],
        [
          c.add('/ppp/secret', { name: 'y', profile: 'nope' }),
          'ISP_ERR_ROUTEROS_BAD_VALUE',
          'input does not match any value of profile',
        ],
        [
          c.add('/ip/address', { address: '10.1.1.1/24', interface: 'ether9' }),
          'ISP_ERR_ROUTEROS_BAD_VALUE',
          'input does not match any value of interface',
        ],
        [
          c.set('/ip/service', 'api', { comment: 'x' }),
          'ISP_ERR_ROUTEROS_UNKNOWN_PARAMETER',
          'unknown parameter comment',
        ],
      ];
      for (const [promise, code, message] of cases) {
        expect(await rejectionOf(promise)).toMatchObject({ code, message });
      }
    });

    it('keeps UTF-8 text intact', async () => {
      const c = await client();
      const id = await c.add('/ip/firewall/address-list', {
        list: 'x',
        address: '10.9.9.9',
        comment: 'café € Привет',
      });
      const [row] = await c.print('/ip/firewall/address-list', {
        query: [`.id=${id}`],
        proplist: ['comment'],
      });
      expect(row).toEqual({ comment: 'café € Привет' });
    });

    it('enforces group policies: a read-only user cannot add', async () => {
      const admin = await client();
      await admin.add('/user', { name: 'viewer', group: 'read', password: 'pw' });
      const viewer = await client({ user: 'viewer', password: 'pw' });
      expect(await viewer.count('/interface')).toBeGreaterThan(0);
      expect(
        await rejectionOf(viewer.add('/ip/pool', { name: 'p', ranges: '10.0.0.1-10.0.0.9' })),
      ).toMatchObject({
        code: 'ISP_ERR_ROUTEROS_PERMISSION',
      });
      expect(
        lab.control(0).changes.some((change) => change.user === 'admin' && change.command === '/user/add'),
      ).toBe(true);
    });
  });

  describe('execute', () => {
    it('routes tagged replies that arrive out of order', async () => {
      let release: () => void = () => undefined;
      const http: Server = createServer((_req, res) => {
        release = () => res.end('slow');
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.3.250', resolve));
      const port = (http.address() as { port: number }).port;
      try {
        const c = await client();
        const slow = c.execute('/tool/fetch', { url: `http://127.0.3.250:${port}/`, output: 'user' });
        const fast = await c.print('/system/identity');
        expect(fast).toHaveLength(1);
        await new Promise((resolve) => setTimeout(resolve, 50));
        release();
        const result = await slow;
        expect(result.rows[0]).toMatchObject({ status: 'finished', data: 'slow' });
      } finally {
        http.close();
      }
    });

    it('runs many concurrent commands on one connection', async () => {
      const c = await client();
      lab.control(0).setLatency(200);
      lab.control(0).resetMaxInFlight();
      const names = Array.from({ length: 50 }, (_, i) => `conc-${i}`);
      const ids = await Promise.all(
        names.map((name) => c.add('/ip/pool', { name, ranges: '10.50.0.1-10.50.0.9' })),
      );
      expect(new Set(ids).size).toBe(50);
      expect(lab.control(0).maxInFlight).toBe(50);
    });

    it('fails a command after its hard timeout and keeps the session usable', async () => {
      const c = await client();
      lab.control(0).setLatency(300);
      const error = await rejectionOf(c.execute('/system/identity/print', {}, [], { timeoutMs: 50 }));
      expect(error).toMatchObject({ code: 'ISP_ERR_ROUTEROS_TIMEOUT' });
      lab.control(0).setLatency(0);
      expect(await c.print('/system/identity')).toHaveLength(1);
    });

    it('fails the in-flight command when the connection drops, then reconnects', async () => {
      const c = await client();
      lab.control(0).dropConnectionOn('/ip/pool/add');
      const error = await rejectionOf(c.add('/ip/pool', { name: 'dropped', ranges: '10.60.0.1-10.60.0.9' }));
      expect(error).toMatchObject({ code: 'ISP_ERR_ROUTEROS_CONNECTION_LOST' });
      expect(await c.print('/system/identity')).toHaveLength(1);
      expect(c.stats.sessions).toBe(2);
    });

    it('fails with ISP_ERR_ROUTEROS_TRAP for an injected trap, keeping the category', async () => {
      const c = await client();
      lab.control(0).trapCommand('/queue/simple/add', 'failure: out of memory', 4);
      expect(await rejectionOf(c.add('/queue/simple', { target: '10.0.0.1' }))).toMatchObject({
        code: 'ISP_ERR_ROUTEROS_TRAP',
        message: 'failure: out of memory',
        category: 4,
      });
    });
  });

  describe('onCommand', () => {
    it('times every command and tells an answer from a refusal and from no answer', async () => {
      const router = lab.routers[0]!;
      const timings: CommandTiming[] = [];
      const c = await RouterClient.connect({
        host: router.address,
        port: router.port,
        user: 'admin',
        password: '',
        timeoutMs: 5000,
        onCommand: (timing) => timings.push(timing),
      });
      clients.push(c);
      lab.control(0).setLatency(30);
      await c.print('/system/identity');
      lab.control(0).setLatency(0);
      await rejectionOf(c.remove('/queue/simple', '*FFFF'));
      lab.control(0).dropConnectionOn('/ip/pool/add');
      await rejectionOf(c.add('/ip/pool', { name: 'gone', ranges: '10.61.0.1-10.61.0.9' }));

      expect(timings.map(({ command, result }) => [command, result])).toEqual([
        ['/system/identity/print', 'ok'],
        ['/queue/simple/remove', 'trap'],
        ['/ip/pool/add', 'error'],
      ]);
      expect(timings[0]?.seconds).toBeGreaterThanOrEqual(0.025);
    });
  });

  describe('close', () => {
    it('turns /quit into a typed fatal error with the router reason', async () => {
      const c = await client();
      expect(await rejectionOf(c.execute('/quit'))).toMatchObject({
        code: 'ISP_ERR_ROUTEROS_FATAL',
        message: 'session terminated on request',
      });
      expect(await c.print('/system/identity')).toHaveLength(1);
    });
  });

  describe('stream decoding', () => {
    it('reads replies cut into pieces of a few bytes', async () => {
      const c = await client();
      lab.control(0).fragmentReplies(true);
      const rows = await c.print('/ip/firewall/filter');
      expect(rows).toHaveLength(11);
      expect(rows[10]).toMatchObject({ comment: 'defconf: drop all from WAN not DSTNATed' });
    });
  });

  describe('listen', () => {
    it('streams changes and removals until stopped', async () => {
      const c = await client({ router: 1 });
      const rows: Row[] = [];
      const handle = await c.listen('/ip/firewall/address-list', (row) => rows.push(row));
      const writer = await client({ router: 1 });
      const id = await writer.add('/ip/firewall/address-list', {
        list: 'isp-suspended',
        address: '10.0.0.5/32',
      });
      await writer.remove('/ip/firewall/address-list', id);
      await handle.stop();
      expect(rows).toEqual([
        expect.objectContaining({ '.id': id, list: 'isp-suspended', address: '10.0.0.5' }),
        { '.id': id, '.dead': 'true' },
      ]);
    });
  });

  describe('cancel', () => {
    it('interrupts every running command when no tag is given', async () => {
      const c = await client();
      const pending = c.execute('/ip/address/listen', {}, [], { onRow: () => undefined });
      await c.print('/system/identity');
      await c.cancel();
      expect(await rejectionOf(pending)).toMatchObject({
        code: 'ISP_ERR_ROUTEROS_INTERRUPTED',
        message: 'interrupted',
        category: 2,
      });
    });
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureMenu, RouterClient } from '@isp/routeros';
import { afterAll, describe, expect, it } from 'vitest';

import { startLab } from '../src/index';

// This file owns 127.0.7.x.
const dir = mkdtempSync(join(tmpdir(), 'routeros-sim-lab-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('startLab', () => {
  it('starts routers on consecutive loopback addresses, each a separate router', async () => {
    const lab = await startLab({ host: '127.0.7.1', port: 0, count: 3 });
    try {
      expect(lab.routers.map((router) => router.address)).toEqual(['127.0.7.1', '127.0.7.2', '127.0.7.3']);
      const [first, second] = lab.routers;
      const a = await RouterClient.connect({
        host: first!.address,
        port: first!.port,
        user: 'admin',
        password: '',
      });
      const b = await RouterClient.connect({
        host: second!.address,
        port: second!.port,
        user: 'admin',
        password: '',
      });
      await a.execute('/system/identity/set', { name: 'rtr-a' });
      expect(await b.print('/system/identity', { proplist: ['name'] })).toEqual([{ name: 'MikroTik' }]);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await lab.close();
    }
  });

  it('keeps state across restarts with a state file', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await startLab({ host: '127.0.7.10', port: 0, stateFile });
    const router = first.routers[0]!;
    const c = await RouterClient.connect({
      host: router.address,
      port: router.port,
      user: 'admin',
      password: '',
    });
    const id = await c.add('/queue/simple', { name: 'kept', target: '10.0.0.1' });
    await c.close();
    await first.close();
    const second = await startLab({ host: '127.0.7.10', port: 0, stateFile });
    try {
      expect(second.control(0).rows('/queue/simple')).toEqual([
        expect.objectContaining({ '.id': id, name: 'kept' }),
      ]);
      const again = second.routers[0]!;
      const d = await RouterClient.connect({
        host: again.address,
        port: again.port,
        user: 'admin',
        password: '',
      });
      expect(await d.add('/queue/simple', { name: 'next', target: '10.0.0.2' })).not.toBe(id);
      await d.close();
    } finally {
      await second.close();
    }
  });

  it('speaks the pre-6.43 challenge login in legacy mode and omits !empty before 7.18', async () => {
    const lab = await startLab({
      host: '127.0.7.20',
      port: 0,
      version: '6.42',
      legacyLogin: true,
      adminPassword: 'sticker',
    });
    try {
      const router = lab.routers[0]!;
      const base = { host: router.address, port: router.port, user: 'admin' };
      const c = await RouterClient.connect({ ...base, password: 'sticker' });
      expect(await c.execute('/queue/simple/print')).toEqual({ rows: [], done: {}, empty: false });
      await c.close();
      await expect(RouterClient.connect({ ...base, password: '' })).rejects.toMatchObject({
        code: 'ISP_ERR_ROUTEROS_LOGIN_FAILED',
        message: 'cannot log in',
      });
    } finally {
      await lab.close();
    }
  });
});

describe('ensureMenu against the simulator', () => {
  it('adds, updates and removes only what the owner owns, and a resync reads once', async () => {
    const lab = await startLab({ host: '127.0.7.30', port: 0, latencyMs: 5 });
    const router = lab.routers[0]!;
    const c = await RouterClient.connect({
      host: router.address,
      port: router.port,
      user: 'admin',
      password: '',
    });
    try {
      await c.add('/queue/simple', { name: 'foreign', target: '10.0.0.99', comment: 'isp:SUB10' });
      await c.add('/queue/simple', { name: 'stale', target: '10.0.0.98', comment: 'isp:SUB1 old' });
      const desired = [{ name: 'sub1', target: '10.0.0.8', 'max-limit': '5M/20M', comment: 'isp:SUB1' }];
      const first = await ensureMenu(c, '/queue/simple', 'isp:SUB1', desired);
      expect(first).toMatchObject({ added: 1, removed: 1, updated: 0, failures: [], roundTrips: 3 });
      const second = await ensureMenu(c, '/queue/simple', 'isp:SUB1', desired);
      expect(second).toMatchObject({ added: 0, removed: 0, updated: 0, unchanged: 1, roundTrips: 1 });
      const third = await ensureMenu(c, '/queue/simple', 'isp:SUB1', [
        { ...desired[0]!, 'max-limit': '10M/40M' },
      ]);
      expect(third).toMatchObject({ updated: 1, roundTrips: 2 });
      const names = (await c.print('/queue/simple', { proplist: ['name', 'max-limit'] })).map(
        (row) => row['name'],
      );
      expect(names).toEqual(['foreign', 'sub1']);
      expect(
        lab
          .control(0)
          .changes.filter((change) => change.command.startsWith('/queue/simple/'))
          .map((change) => change.command),
      ).toEqual([
        '/queue/simple/add',
        '/queue/simple/add',
        '/queue/simple/remove',
        '/queue/simple/add',
        '/queue/simple/set',
      ]);
    } finally {
      await c.close();
      await lab.close();
    }
  });

  it('reports refused changes without stopping the others', async () => {
    const lab = await startLab({ host: '127.0.7.40', port: 0 });
    const router = lab.routers[0]!;
    const c = await RouterClient.connect({
      host: router.address,
      port: router.port,
      user: 'admin',
      password: '',
    });
    try {
      await c.add('/queue/simple', { name: 'taken', target: '10.0.0.1' });
      const result = await ensureMenu(c, '/queue/simple', (comment) => comment.startsWith('isp:'), [
        { name: 'taken', target: '10.0.0.2', comment: 'isp:A' },
        { name: 'free', target: '10.0.0.3', comment: 'isp:B' },
      ]);
      expect(result.added).toBe(2);
      expect(result.failures).toEqual([
        expect.objectContaining({
          error: expect.objectContaining({ code: 'ISP_ERR_ROUTEROS_DUPLICATE' }) as unknown,
        }),
      ]);
      expect(await c.count('/queue/simple')).toBe(2);
    } finally {
      await c.close();
      await lab.close();
    }
  });
});

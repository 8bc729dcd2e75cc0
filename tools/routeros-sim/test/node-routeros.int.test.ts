import { RouterOSAPI } from 'node-routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startLab } from '../src/index';
import type { Lab } from '../src/index';

// node-routeros 1.6.9 is discontinued and crashes the process on `!empty` (RouterOS ≥ 7.18), so
// it is proven here against a 7.16 router only: an independent client speaking to our server.
// This file owns 127.0.4.x.
let lab: Lab;
let api: RouterOSAPI;
const socketErrors: unknown[] = [];

beforeAll(async () => {
  lab = await startLab({ host: '127.0.4.1', port: 0, version: '7.16' });
  const router = lab.routers[0]!;
  api = new RouterOSAPI({ host: router.address, port: router.port, user: 'admin', password: '', timeout: 5 });
  // Without this listener a socket error after connect crashes the process.
  api.on('error', (error: unknown) => socketErrors.push(error));
  await api.connect();
});

afterAll(async () => {
  await api.close();
  await lab.close();
});

describe('node-routeros against the simulator (7.16)', () => {
  it('logs in and prints the factory identity', async () => {
    expect(await api.write('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
  });

  it('adds with a =ret= id and reads back with a query and .proplist', async () => {
    const [done] = await api.write('/ppp/secret/add', [
      '=name=cust1234',
      '=password=S3cret',
      '=service=pppoe',
      '=comment=isp:SUB1',
    ]);
    expect(done).toEqual({ ret: expect.stringMatching(/^\*[0-9A-F]+$/) as unknown });
    const rows = await api.write('/ppp/secret/print', ['?name=cust1234', '=.proplist=name,service,comment']);
    expect(rows).toEqual([{ name: 'cust1234', service: 'pppoe', comment: 'isp:SUB1' }]);
  });

  it('gets an empty array for an empty print (no !empty before 7.18)', async () => {
    expect(await api.write('/queue/simple/print', ['?name=none'])).toEqual([]);
  });

  it('rejects with the router message on a trap', async () => {
    await expect(api.write('/ppp/secret/add', ['=name=cust1234'])).rejects.toThrow(
      'failure: secret with the same name already exists',
    );
    await expect(api.write('/system/nothing/print')).rejects.toThrow(
      'no such command or directory (nothing)',
    );
  });

  it('runs concurrent tagged commands and sees no socket error', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.write('/ip/pool/add', [`=name=nr-${i}`, '=ranges=10.70.0.1-10.70.0.9']),
      ),
    );
    expect(results).toHaveLength(20);
    expect(await api.write('/ip/pool/print', ['=count-only='])).toEqual([{ ret: '21' }]);
    expect(socketErrors).toEqual([]);
  });
});

import { dhcpLeaseQueue } from '@isp/queue';
import { resolvePostgres, startTcpProxy, useTestDatabase, type TcpProxy } from '@isp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAC_TOKEN, startHarness, type Harness } from './gateway-harness';

// Postgres going away under the gateway, made the way a restart looks from it: the connections
// between the gateway and the server cut, new ones refused, then accepted again (a TCP proxy).
const db = useTestDatabase('gateway-outage');
let proxy: TcpProxy;
let h: Harness;

beforeAll(async () => {
  const server = new URL((await resolvePostgres()).adminUrl);
  proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || '5432') });
  h = await startHarness(db().url, { queueUrl: proxy.urlThrough(db().url) });
});

afterAll(async () => {
  proxy.restore();
  await h.close();
  await proxy.close();
});

let macSeq = 0;
function postLease() {
  macSeq++;
  return h.app.inject({
    method: 'POST',
    url: '/v1/dhcp/lease',
    headers: { authorization: `Bearer ${MAC_TOKEN}`, 'content-type': 'application/json' },
    payload: {
      mac: `02:47:00:00:00:${macSeq.toString(16).padStart(2, '0')}`,
      ip: '10.47.0.2',
      bound: true,
      router: 'edge-47',
    },
  });
}

describe('gateway with Postgres going away', () => {
  it('answers 503 while the queue is unreachable, never 202, and takes leases again once it is back', async () => {
    expect((await postLease()).statusCode).toBe(202);

    proxy.cut();
    const during = await Promise.all(Array.from({ length: 5 }, postLease));
    for (const response of during) {
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ code: 'ISP_ERR_GATEWAY_QUEUE_UNAVAILABLE' });
    }
    const ready = await h.app.inject({ method: 'GET', url: '/readyz' });
    const { checks } = ready.json<{ checks: Record<string, string> }>();
    expect(ready.statusCode).toBe(503);
    expect(checks['odoo']).toBe('ok');
    expect(checks['postgres']).not.toBe('ok');

    proxy.restore();
    // The same process recovers: its pool replaces the dead connections, no restart needed.
    const statuses: number[] = [];
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { statusCode } = await postLease();
      statuses.push(statusCode);
      if (statusCode === 202 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(statuses.at(-1)).toBe(202);
    expect(statuses.every((s) => s === 202 || s === 503)).toBe(true);
    // Exactly the acknowledged leases are queued: nothing answered 202 was lost, nothing refused stored.
    expect(await h.jobCount(dhcpLeaseQueue.name)).toBe(2);
  }, 30_000);
});

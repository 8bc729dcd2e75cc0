import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startControlApi, startLab, type ControlApi, type Lab } from '@isp/routeros-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareLabRouter, startLeaseTimer, unknownOnuMacs, type LabRouter } from './lab-leases';

const HOST = '127.0.88.1';
const PASSWORD = 'lab-test-pw';
const TOKEN = 'dev-router-webhook-token';

interface Posted {
  readonly authorization: string | undefined;
  readonly body: { mac: string; bound: boolean; router: string; hostname: string };
}

describe('pnpm dev lab: ONUs taking leases on a timer', () => {
  let lab: Lab;
  let control: ControlApi;
  let gateway: Server;
  let gatewayUrl: string;
  const posted: Posted[] = [];
  let routers: LabRouter[];

  beforeAll(async () => {
    lab = await startLab({ host: HOST, port: 0, count: 2, latencyMs: 0, adminPassword: PASSWORD });
    control = await startControlApi(lab, { host: '127.0.0.1', port: 0 });
    // Stands in for the gateway: records what the routers' lease-scripts post.
    gateway = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        posted.push({
          authorization: request.headers.authorization,
          body: JSON.parse(text) as Posted['body'],
        });
        response.writeHead(202).end('{}');
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
    routers = lab.routers.map((router, index) => ({
      host: router.address,
      port: router.port,
      identity: `lab-router-${index + 1}`,
      macs: [`02:15:00:00:00:0${index + 1}`],
    }));
  });

  afterAll(async () => {
    await control.close();
    await lab.close();
    await new Promise((resolve) => gateway.close(resolve));
  });

  it('names each router as the demo data registered it and installs the lease-script', async () => {
    for (const router of routers) {
      await prepareLabRouter(
        router,
        { user: 'admin', password: PASSWORD },
        { url: gatewayUrl, token: TOKEN },
      );
      const routerControl = lab.control(router.host);
      expect(routerControl.rows('/system/identity')[0]?.['name']).toBe(router.identity);
      expect(routerControl.rows('/ip/dhcp-server')[0]?.['lease-script']).toContain('/v1/dhcp/lease');
    }
  });

  it('binds leases through the control API; each reaches the gateway from its router', async () => {
    const timer = startLeaseTimer({ controlUrl: `http://${control.address}`, routers, intervalMs: 20 });
    try {
      await expect.poll(() => posted.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(12);
    } finally {
      timer.stop();
    }
    await Promise.all(routers.map((router) => lab.control(router.host).settled()));
    expect(timer.stats.failed).toBe(0);
    expect(timer.stats.bound).toBeGreaterThan(0);
    expect(timer.stats.released).toBeGreaterThan(0);
    for (const { authorization, body } of posted) {
      expect(authorization).toBe(`Bearer ${TOKEN}`);
      const index = routers.findIndex((router) => router.identity === body.router);
      expect(index, body.router).toBeGreaterThanOrEqual(0);
      expect([...(routers[index]?.macs ?? []), ...unknownOnuMacs(index)]).toContain(body.mac);
    }
    // Binds and releases both reach the gateway, as on a real router.
    expect(new Set(posted.map((p) => p.body.bound))).toEqual(new Set([true, false]));
    const leases = routers.flatMap((router) => lab.control(router.host).rows('/ip/dhcp-server/lease'));
    expect(leases.length).toBeGreaterThan(0);
  });
});

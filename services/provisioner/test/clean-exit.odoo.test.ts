import type { ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { createLogger } from '@isp/logging';
import { createOdooClient, type OdooClient } from '@isp/odoo-client';
import { startLab, type Lab } from '@isp/routeros-sim';
import { adminConnection, odooTestContext, useTestDatabase, waitFor } from '@isp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { spawnProvisioner } from './provisioner-process';

// With its router unreachable and jobs waiting, the real provisioner process must exit on SIGTERM
// (within the router timeout, which bounds a command already on the wire): after shutdown nothing
// may hold its event loop. This file owns 127.0.49.x.
const ctx = odooTestContext();
const queueDb = useTestDatabase('exit');
const logger = createLogger({ name: 'exit-test', level: 'silent' });
const ROUTER_TIMEOUT_MS = 8_000;
let lab: Lab;
let admin: OdooClient;
let silent: Server;
const held: Socket[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  lab = await startLab({ host: '127.0.49.1', port: 0 });
  admin = createOdooClient({ connection: adminConnection(ctx), logger });
  // A router that stopped answering: the connection opens, no reply ever comes.
  silent = createServer((socket) => held.push(socket));
  await new Promise<void>((done) => silent.listen(0, '127.0.49.2', done));
});

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const socket of held) socket.destroy();
  await new Promise((done) => silent.close(done));
  await lab.close();
  admin.close();
});

let serial = 0;

/** A router at `address:port` with one active subscription queued for it. */
async function subscriptionOn(address: string, port: number): Promise<number> {
  serial++;
  const [sector] = (await admin.create('isp.sector', [
    { name: `Exit ${serial}`, code: `SEC-EXIT-${serial}` },
  ])) as [number];
  const [device] = (await admin.create('isp.device', [
    { name: `exit-${serial}`, sector_id: sector, mgmt_ip: address, api_port: port, api_user: 'admin' },
  ])) as [number];
  const [plan] = (await admin.create('isp.service_plan', [
    { name: `Exit ${serial} 20/5`, down_mbps: 20, up_mbps: 5, price: 25 },
  ])) as [number];
  const [partner] = (await admin.create('res.partner', [{ name: `Exit customer ${serial}` }])) as [number];
  const [sub] = (await admin.create('isp.subscription', [
    {
      partner_id: partner,
      plan_id: plan,
      sector_id: sector,
      device_id: device,
      service_mac: `AA:BB:CC:49:00:0${serial}`,
      gps_lat: 18.4861,
      gps_lng: -69.9312,
    },
  ])) as [number];
  await admin.callMethod('isp.subscription', 'action_activate', [sub], {}, z.unknown());
  return sub;
}

/** Starts the real provisioner, waits for `ready` in its log, sends SIGTERM; its exit code or 'still running'. */
async function terminateAfter(
  ready: string,
): Promise<{ code: number | null | 'still running'; log: string }> {
  const output: string[] = [];
  const child = spawnProvisioner({
    odoo: ctx,
    databaseUrl: queueDb().url,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PROVISIONER_ROUTER_TIMEOUT_MS: String(ROUTER_TIMEOUT_MS), LOG_LEVEL: 'info' },
  });
  children.push(child);
  const collect = (chunk: Buffer): void => {
    output.push(chunk.toString('utf8'));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((done) => {
    child.once('exit', (code) => {
      done(code);
    });
  });
  await waitFor(ready, () => output.join('').includes(ready), { timeoutMs: 90_000 });
  child.kill('SIGTERM');
  const code = await Promise.race([
    exited,
    new Promise<'still running'>((done) => {
      setTimeout(() => {
        done('still running');
      }, ROUTER_TIMEOUT_MS + 10_000);
    }),
  ]);
  return { code, log: output.join('').slice(-3000) };
}

describe('provisioner shutdown', () => {
  it('exits on SIGTERM while its router refuses connections and its jobs wait', async () => {
    const router = lab.routers[0]!;
    lab.control(0).refuseConnections(true);
    await subscriptionOn(router.address, router.port);
    const { code, log } = await terminateAfter('router unreachable; jobs wait');
    // What held the process, if anything, is in its last log lines.
    expect({ code, log: code === 0 ? '' : log }).toEqual({ code: 0, log: '' });
  }, 180_000);

  it('exits on SIGTERM while a command waits on a router that stopped answering', async () => {
    const address = silent.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    await subscriptionOn('127.0.49.2', address.port);
    const { code, log } = await terminateAfter('provisioner running');
    expect({ code, log: code === 0 ? '' : log }).toEqual({ code: 0, log: '' });
  }, 180_000);
});

import type { ChildProcess } from 'node:child_process';
import { createLogger } from '@isp/logging';
import { createOdooClient, type OdooClient } from '@isp/odoo-client';
import { startLab, type Lab } from '@isp/routeros-sim';
import { adminConnection, odooTestContext, useTestDatabase, waitFor } from '@isp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { spawnProvisioner } from './provisioner-process';
import { createLabRecords, createLabSubscription } from './odoo-lab-records';

// The provisioner process is killed with SIGKILL right after it changed the router and before it
// reported back; a new process must finish the job without a second attempt and without
// duplicating anything on the router. This file owns 127.0.45.x.
const ctx = odooTestContext();
const queueDb = useTestDatabase('crash');
const logger = createLogger({ name: 'crash-test', level: 'silent' });
let lab: Lab;
let admin: OdooClient;
const children: ChildProcess[] = [];

function startProvisionerProcess(): ChildProcess {
  const child = spawnProvisioner({
    odoo: ctx,
    databaseUrl: queueDb().url,
    stdio: 'ignore',
    env: { PROVISIONER_ROUTER_TIMEOUT_MS: '30000' },
  });
  children.push(child);
  return child;
}

const jobSchema = z.object({ state: z.string(), attempts: z.number() });

beforeAll(async () => {
  lab = await startLab({ host: '127.0.45.1', port: 0 });
  admin = createOdooClient({
    connection: adminConnection(ctx),
    logger,
  });
});

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await lab.close();
  admin.close();
});

describe('provisioner crash recovery', () => {
  it('finishes a job after kill -9 between the router change and the report, without duplicates', async () => {
    const records = await createLabRecords(admin, lab.routers[0]!, {
      label: 'Crash',
      plans: [{ name: 'Crash 20/5', down_mbps: 20, up_mbps: 5, price: 25 }],
    });
    const { id: sub, name } = await createLabSubscription(admin, records, {
      dhcp_mode: 'static',
      service_mac: 'AA:BB:CC:45:00:01',
      service_ip: '10.45.0.15',
    });
    const control = lab.control(0);
    // Slow router, so that the process is busy on the router when it gets killed.
    control.setLatency(1_500);
    await admin.callMethod('isp.subscription', 'action_activate', [sub], {}, z.unknown());
    const job = async (): Promise<z.infer<typeof jobSchema>> => {
      const [row] = await admin.searchRead(
        'isp.provisioning_job',
        { domain: [['subscription_id', '=', sub]], fields: ['state', 'attempts'] },
        jobSchema,
      );
      if (row === undefined) throw new Error('no job');
      return row;
    };

    const first = startProvisionerProcess();
    // Killed the moment the router applied its first change (polled every millisecond): the worker
    // still has its remaining writes, the audit and the report to Odoo ahead of it.
    await new Promise<void>((resolveKill, rejectKill) => {
      const deadline = Date.now() + 90_000;
      const timer = setInterval(() => {
        if (control.changes.some((c) => c.attributes['comment'] === `isp:${name}`)) {
          first.kill('SIGKILL');
          clearInterval(timer);
          resolveKill();
        } else if (Date.now() > deadline) {
          clearInterval(timer);
          rejectKill(new Error('no router change within 90 s'));
        }
      }, 1);
    });
    await new Promise((r) => first.once('exit', r));
    expect(await job()).toMatchObject({ state: 'running', attempts: 1 });

    control.setLatency(0);
    startProvisionerProcess();
    await waitFor('the job to finish in the new process', async () => (await job()).state === 'success', {
      timeoutMs: 150_000,
    });
    expect(await job()).toMatchObject({ state: 'success', attempts: 1 });
    const owned = (menu: string): number =>
      control.rows(menu).filter((row) => row['comment'] === `isp:${name}`).length;
    expect(owned('/ip/dhcp-server/lease')).toBe(1);
    expect(owned('/queue/simple')).toBe(1);
  }, 300_000);
});

import { createLogger } from '@isp/logging';
import { ALL_QUEUES, createBoss, startBoss, type PgBoss } from '@isp/queue';
import { RouterClient } from '@isp/routeros';
import { startLab, type Lab } from '@isp/routeros-sim';
import { useTestDatabase } from '@isp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvisioningSubscription } from '../src/adapters/provisioner-odoo';
import { createRouterLocks, type RouterLocks } from '../src/adapters/router-lock';
import { createRouterSessions } from '../src/adapters/router-sessions';
import { startProvisioner, type Provisioner } from '../src/provisioner';
import { FakeOdoo } from './fake-odoo';

// PROVISIONER_DRY_RUN=1: the provisioner reads the routers, plans and audits, and writes nothing.
// This file owns 127.0.48.x.
const db = useTestDatabase('provisioner-dry-run');
const logger = createLogger({ name: 'test', level: 'silent' });
const odoo = new FakeOdoo();
let lab: Lab;
let boss: PgBoss;
let locks: RouterLocks;
let provisioner: Provisioner;

async function waitFor(what: string, check: () => boolean, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const done = (id: number) => (): boolean => odoo.job(id).state === 'success';
const rows = (menu: string): Record<string, string>[] => lab.control(0).rows(menu);

function subscription(id: number, values: Partial<ProvisioningSubscription> = {}): ProvisioningSubscription {
  const sub: ProvisioningSubscription = {
    id,
    deviceId: 1,
    name: `SUB/D/${String(id).padStart(4, '0')}`,
    state: 'active',
    authMethod: 'dhcp',
    dhcpMode: 'static',
    serviceMac: `02:00:00:00:48:${id.toString(16).padStart(2, '0').toUpperCase()}`,
    serviceIp: `10.48.0.${String(id)}`,
    clientAddress: `10.48.0.${String(id)}`,
    pppoeUsername: undefined,
    pppoePassword: undefined,
    plan: { upMbps: 5, downMbps: 20 },
    ...values,
  };
  odoo.subs.set(id, sub);
  return sub;
}

beforeAll(async () => {
  lab = await startLab({ host: '127.0.48.1', port: 0, count: 1 });
  odoo.addRouters(lab.routers);
  boss = createBoss({ connectionString: db().url, applicationName: 'dry-run-test', logger });
  await startBoss(boss, ALL_QUEUES);
  locks = createRouterLocks(db().url, { waitMs: 5_000 });
  provisioner = await startProvisioner({
    boss,
    odoo,
    locks,
    sessions: createRouterSessions({ timeoutMs: 3_000 }),
    logger,
    settings: {
      dryRun: true,
      batchSize: 50,
      concurrency: 2,
      sweepSeconds: 0.5,
      leaseBatch: 100,
      routerTimeoutMs: 3_000,
    },
  });
});

afterAll(async () => {
  await provisioner.stop();
  await boss.stop({ graceful: false, close: true });
  await locks.close();
  await lab.close();
});

describe('provisioner in dry run', () => {
  it('audits an activation as dry_run with the state it would write, and writes nothing', async () => {
    const before = { leases: rows('/ip/dhcp-server/lease').length, queues: rows('/queue/simple').length };
    const sub = subscription(1);
    const job = odoo.addJob({ jobType: 'activate_subscription', subscriptionId: sub.id, deviceId: 1 });
    await waitFor('the dry-run activation', done(job));

    expect(rows('/ip/dhcp-server/lease')).toHaveLength(before.leases);
    expect(rows('/queue/simple')).toHaveLength(before.queues);
    const audit = odoo.audit.find((a) => a.jobId === job);
    expect(audit).toMatchObject({ action: 'activate_subscription', recordId: sub.id, result: 'dry_run' });
    expect(audit?.after).toMatchObject({
      '/queue/simple': [{ comment: `isp:${sub.name}`, 'max-limit': '5M/20M' }],
      '/ip/dhcp-server/lease': [{ 'mac-address': sub.serviceMac, address: '10.48.0.1' }],
    });
  });

  it('shows what a plan change would replace, and leaves the router as it was', async () => {
    const sub = subscription(2);
    const router = lab.routers[0]!;
    const client = await RouterClient.connect({
      host: router.address,
      port: router.port,
      user: 'admin',
      password: '',
    });
    await client.add('/queue/simple', {
      name: `isp-${sub.name}`,
      target: '10.48.0.2/32',
      'max-limit': '1000000/1000000',
      comment: `isp:${sub.name}`,
    });
    await client.close();

    const job = odoo.addJob({ jobType: 'change_plan', subscriptionId: sub.id, deviceId: 1 });
    await waitFor('the dry-run plan change', done(job));

    expect(rows('/queue/simple').filter((q) => q['comment'] === `isp:${sub.name}`)).toMatchObject([
      { 'max-limit': '1000000/1000000' },
    ]);
    const audit = odoo.audit.find((a) => a.jobId === job);
    expect(audit?.result).toBe('dry_run');
    expect(audit?.before).toMatchObject({ '/queue/simple': [{ 'max-limit': '1000000/1000000' }] });
    expect(audit?.after).toMatchObject({ '/queue/simple': [{ 'max-limit': '5M/20M' }] });
  });

  it('creates no hotspot user and leaves its state in Odoo untouched', async () => {
    const sub = subscription(3);
    odoo.captive.set(8, {
      id: 8,
      login: 'guest48',
      password: 'hs-pw',
      profile: 'default',
      macAddress: sub.serviceMac,
      subscriptionName: sub.name,
      state: 'pending',
    });
    const job = odoo.addJob({ jobType: 'captive_user_create', captiveUserId: 8, deviceId: 1 });
    await waitFor('the dry-run hotspot user', done(job));

    expect(rows('/ip/hotspot/user').filter((u) => u['name'] === 'guest48')).toEqual([]);
    expect(odoo.captive.get(8)?.state).toBe('pending');
    expect(odoo.audit.find((a) => a.jobId === job)?.result).toBe('dry_run');
  });
});

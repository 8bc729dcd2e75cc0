import { startLab, type Lab } from '@isp/routeros-sim';
import { useTestDatabase, waitFor } from '@isp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOdoo } from './fake-odoo';
import { startProvisionerHarness, type ProvisionerHarness } from './provisioner-harness';
import { subscriptionMaker } from './subscriptions';

// PROVISIONER_DRY_RUN=1: the provisioner reads the routers, plans and audits, and writes nothing.
// This file owns 127.0.48.x.
const db = useTestDatabase('provisioner-dry-run');
const odoo = new FakeOdoo();
const subscription = subscriptionMaker(odoo, { tag: 'D', net: 48 });
let lab: Lab;
let h: ProvisionerHarness;

const done = (id: number) => (): boolean => odoo.job(id).state === 'success';
const rows = (menu: string): Record<string, string>[] => lab.control(0).rows(menu);

beforeAll(async () => {
  lab = await startLab({ host: '127.0.48.1', port: 0, count: 1 });
  odoo.addRouters(lab.routers);
  h = await startProvisionerHarness({ databaseUrl: db().url, odoo, settings: { dryRun: true } });
});

afterAll(async () => {
  await h.stop();
  await lab.close();
});

describe('provisioner in dry run', () => {
  it('audits an activation as dry_run with the state it would write, and writes nothing', async () => {
    const before = { leases: rows('/ip/dhcp-server/lease').length, queues: rows('/queue/simple').length };
    const sub = subscription();
    const job = odoo.addJob({ jobType: 'activate_subscription', subscriptionId: sub.id, deviceId: 1 });
    await waitFor('the dry-run activation', done(job));

    expect(rows('/ip/dhcp-server/lease')).toHaveLength(before.leases);
    expect(rows('/queue/simple')).toHaveLength(before.queues);
    const audit = odoo.audit.find((a) => a.jobId === job);
    expect(audit).toMatchObject({ action: 'activate_subscription', recordId: sub.id, result: 'dry_run' });
    expect(audit?.after).toMatchObject({
      '/queue/simple': [{ comment: `isp:${sub.name}`, 'max-limit': '5M/20M' }],
      '/ip/dhcp-server/lease': [{ 'mac-address': sub.serviceMac, address: sub.serviceIp }],
    });
  });

  it('shows what a plan change would replace, and leaves the router as it was', async () => {
    const sub = subscription();
    const client = await lab.adminClient(0);
    await client.add('/queue/simple', {
      name: `isp-${sub.name}`,
      target: `${sub.serviceIp ?? ''}/32`,
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
    const sub = subscription();
    odoo.addCaptiveUser(8, 'guest48', sub);
    const job = odoo.addJob({ jobType: 'captive_user_create', captiveUserId: 8, deviceId: 1 });
    await waitFor('the dry-run hotspot user', done(job));

    expect(rows('/ip/hotspot/user').filter((u) => u['name'] === 'guest48')).toEqual([]);
    expect(odoo.captive.get(8)?.state).toBe('pending');
    expect(odoo.audit.find((a) => a.jobId === job)?.result).toBe('dry_run');
  });
});

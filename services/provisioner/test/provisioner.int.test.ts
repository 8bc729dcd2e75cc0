import { enqueue, dhcpLeaseQueue, provisioningJobQueue } from '@isp/queue';
import { startLab, type Lab } from '@isp/routeros-sim';
import { useTestDatabase, waitFor } from '@isp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvisioningSubscription } from '../src/adapters/provisioner-odoo';
import { FakeOdoo } from './fake-odoo';
import { startProvisionerHarness, type ProvisionerHarness } from './provisioner-harness';
import { subscriptionMaker } from './subscriptions';

// This file owns 127.0.41.x.
const db = useTestDatabase('provisioner');
let lab: Lab;
let h: ProvisionerHarness;
const odoo = new FakeOdoo();
const subscription = subscriptionMaker(odoo, { tag: 'T', net: 41 });

function runJob(
  jobType: Parameters<FakeOdoo['addJob']>[0]['jobType'],
  sub: ProvisioningSubscription,
  extra = {},
): number {
  return odoo.addJob({ jobType, subscriptionId: sub.id, deviceId: sub.deviceId, ...extra });
}

const done = (id: number) => (): boolean => odoo.job(id).state === 'success';
const router = (): ReturnType<Lab['control']> => lab.control(0);
const owned = (menu: string, sub: ProvisioningSubscription): Record<string, string>[] =>
  router()
    .rows(menu)
    .filter((row) => row['comment'] === `isp:${sub.name}`);

beforeAll(async () => {
  lab = await startLab({ host: '127.0.41.1', port: 0, count: 2 });
  odoo.addRouters(lab.routers);
  h = await startProvisionerHarness({ databaseUrl: db().url, odoo });
});

afterAll(async () => {
  await h.stop();
  await lab.close();
});

describe('provisioner', () => {
  it('activates a static DHCP subscription: pinned lease and a queue at the plan speed', async () => {
    const sub = subscription();
    const job = runJob('activate_subscription', sub);
    await waitFor('activation', done(job));
    expect(owned('/ip/dhcp-server/lease', sub)).toMatchObject([
      { 'mac-address': sub.serviceMac, address: sub.serviceIp },
    ]);
    expect(owned('/queue/simple', sub)).toMatchObject([
      { target: `${sub.serviceIp}/32`, 'max-limit': '5000000/20000000' },
    ]);
    const audit = odoo.audit.find((a) => a.jobId === job);
    expect(audit).toMatchObject({ action: 'activate_subscription', recordId: sub.id, result: 'success' });
    expect(odoo.statuses.at(-1)).toMatchObject({ deviceId: 1, status: { status: 'online' } });
  });

  it('measures each job and each router command for Prometheus', async () => {
    const sub = subscription();
    await waitFor('activation', done(runJob('activate_subscription', sub)));
    const text = await h.metrics.registry.metrics();
    const count = (metric: string, labels: string): number =>
      Number(
        new RegExp(`^${metric}_count\\{service="provisioner",${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0,
      );
    expect(
      count(
        'isp_job_duration_seconds',
        'queue="provisioning.job",job_type="activate_subscription",result="success"',
      ),
    ).toBeGreaterThanOrEqual(1);
    // One read per menu and the writes of the activation, at least.
    expect(count('isp_router_round_trip_seconds', 'router="1",result="ok"')).toBeGreaterThanOrEqual(4);
  });

  it('treats a second run of the same desired state as a no-op', async () => {
    const sub = subscription();
    await waitFor('first run', done(runJob('activate_subscription', sub)));
    const changesBefore = router().changes.length;
    const again = runJob('change_plan', sub);
    await waitFor('second run', done(again));
    expect(router().changes.length).toBe(changesBefore);
    expect(odoo.audit.find((a) => a.jobId === again)?.result).toBe('noop');
  });

  it('suspends a PPPoE customer: secret disabled, session dropped, address listed', async () => {
    const sub = subscription({
      authMethod: 'pppoe',
      serviceMac: undefined,
      pppoeUsername: 'cust41',
      pppoePassword: 'pw41',
    });
    await waitFor('activation', done(runJob('activate_subscription', sub)));
    expect(router().pppConnect({ name: 'cust41', password: 'pw41' })).toHaveProperty('address');
    odoo.subs.set(sub.id, { ...sub, state: 'suspended' });
    await waitFor('suspension', done(runJob('suspend_subscription', sub)));
    expect(owned('/ppp/secret', sub)).toMatchObject([{ name: 'cust41', disabled: 'true' }]);
    expect(
      router()
        .rows('/ppp/active')
        .filter((r) => r['name'] === 'cust41'),
    ).toEqual([]);
    expect(owned('/ip/firewall/address-list', sub)).toMatchObject([
      { list: 'isp-suspended', address: sub.serviceIp },
    ]);

    odoo.subs.set(sub.id, { ...sub, state: 'active' });
    await waitFor('reconnection', done(runJob('reconnect_subscription', sub)));
    expect(owned('/ppp/secret', sub)).toMatchObject([{ disabled: 'false' }]);
    expect(owned('/ip/firewall/address-list', sub)).toEqual([]);
  });

  it('removes everything it owns on termination and never touches foreign objects', async () => {
    const sub = subscription();
    await waitFor('activation', done(runJob('activate_subscription', sub)));
    const client = await lab.adminClient(0);
    await client.add('/queue/simple', {
      name: 'manual-q',
      target: '10.41.9.9',
      comment: 'manual by the NOC',
    });
    await client.close();
    odoo.subs.set(sub.id, { ...sub, state: 'terminated' });
    await waitFor('termination', done(runJob('terminate_subscription', sub)));
    for (const menu of ['/ip/dhcp-server/lease', '/queue/simple', '/ip/firewall/address-list']) {
      expect(owned(menu, sub)).toEqual([]);
    }
    expect(
      router()
        .rows('/queue/simple')
        .some((row) => row['name'] === 'manual-q'),
    ).toBe(true);
  });

  it('repairs drift on a device sync: objects of subscriptions gone from the router are removed', async () => {
    const kept = subscription();
    const gone = subscription();
    await waitFor('kept', done(runJob('activate_subscription', kept)));
    await waitFor('gone', done(runJob('activate_subscription', gone)));
    odoo.subs.set(gone.id, { ...gone, deviceId: 2 }); // moved to another router behind our back
    const sync = odoo.addJob({ jobType: 'device_sync', deviceId: 1 });
    await waitFor('sync', done(sync));
    expect(owned('/queue/simple', gone)).toEqual([]);
    expect(owned('/queue/simple', kept)).toHaveLength(1);
  });

  it('reports identity, RouterOS version, board and serial to Odoo on a health check', async () => {
    const client = await lab.adminClient(0);
    await client.execute('/system/identity/set', { name: 'edge-41' });
    await client.close();
    const reported = odoo.statuses.length;
    const job = odoo.addJob({ jobType: 'device_healthcheck', deviceId: 1 });
    await waitFor('health check', done(job));
    const [serial] = router()
      .rows('/system/routerboard')
      .map((row) => row['serial-number']);
    expect(odoo.statuses.slice(reported)).toContainEqual({
      deviceId: 1,
      status: {
        status: 'online',
        identity: 'edge-41',
        routeros_version: router().rows('/system/resource')[0]?.['version'],
        board_name: 'hAP ac^2',
        serial,
      },
    });
    expect(serial).toMatch(/^[0-9A-F]{12}$/);
    expect(odoo.audit.find((a) => a.jobId === job)).toMatchObject({
      action: 'device_healthcheck',
      recordModel: 'isp.device',
      recordId: 1,
      result: 'success',
    });
  });

  it('lets jobs wait for an unreachable router without using attempts, then converges', async () => {
    const sub = subscription({ deviceId: 2 });
    lab.control(1).refuseConnections(true);
    const job = runJob('activate_subscription', sub);
    await waitFor('waiting', () => odoo.job(job).waiting);
    expect(odoo.job(job)).toMatchObject({ state: 'queued', attempts: 0 });
    expect(odoo.statuses.at(-1)).toMatchObject({ deviceId: 2, status: { status: 'offline' } });
    lab.control(1).refuseConnections(false);
    await waitFor('convergence', done(job), { timeoutMs: 60_000 });
    expect(
      lab
        .control(1)
        .rows('/queue/simple')
        .filter((q) => q['comment'] === `isp:${sub.name}`),
    ).toHaveLength(1);
  }, 90_000);

  it('counts a router refusal as an attempt and fails the job when attempts run out', async () => {
    const sub = subscription();
    router().trapCommand('/queue/simple/add', 'failure: simulated refusal');
    const job = runJob('activate_subscription', sub, { maxAttempts: 1 });
    await waitFor('failure', () => odoo.job(job).state === 'failed');
    router().clearFaults();
    expect(odoo.job(job)).toMatchObject({
      attempts: 1,
      error: expect.stringContaining('failure: simulated refusal') as unknown,
    });
    expect(odoo.audit.find((a) => a.jobId === job)?.result).toBe('failed');
  });

  it('converges once when Odoo goes away between the router writes and the report', async () => {
    const sub = subscription();
    const appendAudit = odoo.appendAudit.bind(odoo);
    // Odoo stops answering exactly when the pass reports what it did on the router.
    odoo.appendAudit = (entries) => {
      odoo.down = true;
      return appendAudit(entries);
    };
    const job = runJob('activate_subscription', sub);
    try {
      await waitFor('the router writes', () => owned('/queue/simple', sub).length === 1);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(odoo.job(job).state).toBe('running');
    } finally {
      odoo.appendAudit = appendAudit;
      odoo.down = false;
    }
    await waitFor('the report once Odoo is back', done(job), { timeoutMs: 60_000 });
    expect(owned('/ip/dhcp-server/lease', sub)).toHaveLength(1);
    expect(owned('/queue/simple', sub)).toHaveLength(1);
    // The retry found the job running: its attempt was not counted twice.
    expect(odoo.job(job).attempts).toBe(1);
    // The change is audited as it happened (kept until Odoo took it), then the retry's no-op.
    const rows = odoo.audit.filter((a) => a.jobId === job);
    expect(rows.map((a) => a.result)).toEqual(['success', 'noop']);
    expect(rows[0]?.before).toMatchObject({ '/queue/simple': [] });
    expect(rows[0]?.after).toMatchObject({ '/queue/simple': [{ comment: `isp:${sub.name}` }] });
  }, 90_000);

  it('survives a connection dropped mid-command without duplicating objects', async () => {
    const sub = subscription();
    router().dropConnectionOn('/ip/dhcp-server/lease/add', { times: 1, apply: true });
    const job = runJob('activate_subscription', sub);
    await waitFor('convergence', done(job), { timeoutMs: 60_000 });
    expect(owned('/ip/dhcp-server/lease', sub)).toHaveLength(1);
    expect(owned('/queue/simple', sub)).toHaveLength(1);
  }, 90_000);

  it('creates and disables hotspot users and records their state in Odoo', async () => {
    const sub = subscription();
    odoo.addCaptiveUser(7, 'guest41', sub);
    const create = odoo.addJob({ jobType: 'captive_user_create', captiveUserId: 7, deviceId: 1 });
    await waitFor('captive create', done(create));
    expect(
      router()
        .rows('/ip/hotspot/user')
        .filter((u) => u['name'] === 'guest41'),
    ).toMatchObject([{ disabled: 'false', comment: `isp:${sub.name} hotspot:guest41` }]);
    expect(odoo.captive.get(7)?.state).toBe('active');
    const disable = odoo.addJob({ jobType: 'captive_user_disable', captiveUserId: 7, deviceId: 1 });
    await waitFor('captive disable', done(disable));
    expect(
      router()
        .rows('/ip/hotspot/user')
        .filter((u) => u['name'] === 'guest41'),
    ).toMatchObject([{ disabled: 'true' }]);
    expect(JSON.stringify(odoo.audit.filter((a) => a.recordModel === 'isp.captive.user'))).not.toContain(
      'hs-pw',
    );
  });

  it('sends a message that is no provisioning job straight to the dead-letter queue', async () => {
    const id = (await h.boss.send(provisioningJobQueue.name, { odooJobId: -1 })) ?? '';
    await waitFor(
      'dead-lettering',
      async () => (await h.boss.findJobs(provisioningJobQueue.name, { id }))[0]?.state === 'cancelled',
    );
    const [dead] = await h.boss.fetch(provisioningJobQueue.deadLetter);
    expect(dead?.data).toMatchObject({ jobId: id, payload: { odooJobId: -1 } });
  });

  it('keeps every lease event while Odoo is unreachable and delivers them once it is back', async () => {
    const calls = odoo.leaseCalls.length;
    odoo.down = true;
    const receivedAt = new Date().toISOString();
    for (let n = 0; n < 1000; n++) {
      const mac =
        `02:42:00:00:${(n >> 8).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`.toUpperCase();
      await enqueue(h.boss, dhcpLeaseQueue, {
        mac,
        ip: '10.42.7.1',
        bound: true,
        server: 'dhcp-lan',
        hostname: 'ONU',
        router: 'rtr-1',
        receivedAt,
      });
    }
    await new Promise((r) => setTimeout(r, 3_000));
    expect(odoo.leaseCalls.length).toBe(calls);
    odoo.down = false;
    await waitFor(
      'delivery after the outage',
      () =>
        new Set(
          odoo.leaseCalls
            .slice(calls)
            .flat()
            .map((l) => l.mac),
        ).size === 1000,
      { timeoutMs: 60_000 },
    );
  }, 90_000);

  it('drains lease events into Odoo in few calls, one entry per MAC', async () => {
    const calls = odoo.leaseCalls.length;
    const receivedAt = (n: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
    for (let n = 0; n < 600; n++) {
      const mac = `02:41:00:00:${(n % 200)
        .toString(16)
        .padStart(4, '0')
        .replace(/(..)(..)/, '$1:$2')
        .toUpperCase()}`;
      await enqueue(h.boss, dhcpLeaseQueue, {
        mac,
        ip: `10.41.1.${n % 200}`,
        bound: n < 400,
        server: 'dhcp-lan',
        hostname: `ONU-${n}`,
        router: 'rtr-1',
        receivedAt: receivedAt(n),
      });
    }
    await waitFor('leases', () => odoo.leaseCalls.slice(calls).flat().length >= 200);
    const sent = odoo.leaseCalls.slice(calls);
    expect(sent.length).toBeLessThanOrEqual(6);
    const macs = sent.flat().map((l) => l.mac);
    expect(new Set(macs).size).toBe(200);
  });
});

import { startLab, type Lab, type PacketVerdict } from '@isp/routeros-sim';
import { useTestDatabase, waitFor } from '@isp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvisioningSubscription } from '../src/adapters/provisioner-odoo';
import { FakeOdoo } from './fake-odoo';
import { startProvisionerHarness, type ProvisionerHarness } from './provisioner-harness';
import { subscriptionMaker } from './subscriptions';

// This file owns 127.0.12.x: the promise of the contract proven by the routers' own verdicts.
const db = useTestDatabase('enforcement');
let lab: Lab;
let h: ProvisionerHarness;
const odoo = new FakeOdoo();
const subscription = subscriptionMaker(odoo, { tag: 'E', net: 12 });
const NOTICE = '203.0.113.10';
const PORTAL = '203.0.113.20';

function run(
  jobType: Parameters<FakeOdoo['addJob']>[0]['jobType'],
  sub: ProvisioningSubscription,
  deviceId = sub.deviceId,
): Promise<void> {
  const id = odoo.addJob({ jobType, subscriptionId: sub.id, deviceId });
  return waitFor(jobType, () => odoo.job(id).state === 'success');
}

function set(
  sub: ProvisioningSubscription,
  values: Partial<ProvisioningSubscription>,
): ProvisioningSubscription {
  const next = { ...sub, ...values };
  odoo.subs.set(sub.id, next);
  return next;
}

const router = (index = 0): ReturnType<Lab['control']> => lab.control(index);
const web = (src: string, index = 0): PacketVerdict =>
  router(index).packet({ src, dst: '1.1.1.1', protocol: 'tcp', dstPort: 443 });

function bind(mac: string, ip?: string): string {
  const lease = router().dhcpBind({ mac, ...(ip === undefined ? {} : { ip }) });
  if (!('address' in lease)) throw new Error(`no lease: ${lease.refused}`);
  return lease.address;
}

beforeAll(async () => {
  lab = await startLab({ host: '127.0.12.1', port: 0, count: 2 });
  odoo.addRouters(lab.routers);
  for (const deviceId of [1, 2])
    odoo.policies.set(deviceId, { suspendedRedirect: { address: NOTICE, port: 80 }, walledGarden: [PORTAL] });
  h = await startProvisionerHarness({ databaseUrl: db().url, odoo });
  // The router's own PPPoE set-up: customers get addresses from the default profile's pool.
  const admin = await lab.adminClient(0);
  await admin.add('/ip/pool', { name: 'pppoe', ranges: '10.112.0.2-10.112.0.254' });
  await admin.set('/ppp/profile', 'default', { 'local-address': '10.112.0.1', 'remote-address': 'pppoe' });
  await admin.close();
});

afterAll(async () => {
  await h.stop();
  await lab.close();
});

describe('enforcement on the router', () => {
  it('shapes a dynamic-DHCP customer from the first lease and after its address changes', async () => {
    const sub = subscription({ dhcpMode: 'dynamic', serviceIp: undefined, clientAddress: undefined });
    await run('activate_subscription', sub);
    const first = bind(sub.serviceMac ?? '');
    expect(web(first)).toMatchObject({ verdict: 'accept', limit: '5M/20M' });
    router().dhcpRelease({ mac: sub.serviceMac ?? '' });
    const second = bind(sub.serviceMac ?? '', '192.168.88.200');
    expect(second).not.toBe(first);
    expect(web(second)).toMatchObject({ verdict: 'accept', limit: '5M/20M' });
    expect(web(first).limit).toBeNull();
  });

  it('cuts a suspended dynamic-DHCP customer now, except DNS, the walled garden and the notice page', async () => {
    const sub = subscription({ dhcpMode: 'dynamic', serviceIp: undefined, clientAddress: undefined });
    await run('activate_subscription', sub);
    const address = bind(sub.serviceMac ?? '');
    await run('suspend_subscription', set(sub, { state: 'suspended' }));
    expect(web(address)).toMatchObject({ verdict: 'reject' });
    expect(router().packet({ src: address, dst: '8.8.8.8', protocol: 'udp', dstPort: 53 }).verdict).toBe(
      'accept',
    );
    expect(router().packet({ src: address, dst: PORTAL, protocol: 'tcp', dstPort: 443 }).verdict).toBe(
      'accept',
    );
    expect(
      router().packet({ src: address, dst: '93.184.216.34', protocol: 'tcp', dstPort: 80 }),
    ).toMatchObject({
      verdict: 'accept',
      dstnat: `${NOTICE}:80`,
    });
    // Another customer on the same router is untouched.
    expect(web('192.168.88.250').verdict).toBe('accept');

    await run('reconnect_subscription', set(sub, { state: 'active' }));
    expect(web(address)).toMatchObject({ verdict: 'accept', limit: '5M/20M' });
  });

  it('cuts a customer suspended before its first lease from its first packet', async () => {
    const sub = subscription({ dhcpMode: 'dynamic', serviceIp: undefined, clientAddress: undefined });
    await run('activate_subscription', sub);
    const job = odoo.addJob({ jobType: 'suspend_subscription', subscriptionId: sub.id, deviceId: 1 });
    set(sub, { state: 'suspended' });
    await waitFor('suspension', () => odoo.job(job).state === 'success');
    // The job says when the cut takes effect, not only that it succeeded.
    expect(odoo.job(job).note).toBe('cut_at_next_lease');
    expect(odoo.audit.findLast((a) => a.recordId === sub.id)?.after).toMatchObject({
      note: 'cut_at_next_lease',
    });
    const address = bind(sub.serviceMac ?? '');
    expect(web(address)).toMatchObject({ verdict: 'reject', limit: '5M/20M' });
  });

  it('shapes PPPoE without a fixed address, ends a suspended session and refuses the dial-in', async () => {
    const sub = subscription({
      authMethod: 'pppoe',
      serviceMac: undefined,
      serviceIp: undefined,
      clientAddress: undefined,
      pppoeUsername: 'e-ana',
      pppoePassword: 'pw1',
    });
    await run('activate_subscription', sub);
    const session = router().pppConnect({ name: 'e-ana', password: 'pw1' });
    if (!('address' in session)) throw new Error(session.refused);
    expect(session.address).toMatch(/^10\.112\.0\./);
    expect(web(session.address)).toMatchObject({ verdict: 'accept', limit: '5M/20M' });

    await run('suspend_subscription', set(sub, { state: 'suspended' }));
    expect(
      router()
        .rows('/ppp/active')
        .filter((row) => row['name'] === 'e-ana'),
    ).toEqual([]);
    expect(router().pppConnect({ name: 'e-ana', password: 'pw1' })).toEqual({
      refused: 'authentication-failed',
    });

    await run('reconnect_subscription', set(sub, { state: 'active' }));
    expect('address' in router().pppConnect({ name: 'e-ana', password: 'pw1' })).toBe(true);
    // New credentials and a new plan reach the router; the live session is ended so they apply.
    await run('update_subscription', set(sub, { pppoePassword: 'pw2', plan: { upMbps: 10, downMbps: 50 } }));
    expect(
      router()
        .rows('/ppp/active')
        .filter((row) => row['name'] === 'e-ana'),
    ).toEqual([]);
    expect(router().pppConnect({ name: 'e-ana', password: 'pw1' })).toEqual({
      refused: 'authentication-failed',
    });
    const again = router().pppConnect({ name: 'e-ana', password: 'pw2' });
    if (!('address' in again)) throw new Error(again.refused);
    expect(web(again.address).limit).toBe('10M/50M');
  });

  it('never reports success when nothing on the router identifies the customer', async () => {
    const sub = subscription({
      dhcpMode: 'dynamic',
      serviceIp: undefined,
      clientAddress: undefined,
      serviceMac: undefined,
    });
    set(sub, { state: 'suspended' });
    const id = odoo.addJob({
      jobType: 'suspend_subscription',
      subscriptionId: sub.id,
      deviceId: 1,
      maxAttempts: 1,
    });
    await waitFor('the job to fail', () => ['failed', 'success'].includes(odoo.job(id).state));
    expect(odoo.job(id).state).toBe('failed');
    expect(odoo.job(id).error).toMatch(/no service MAC: nothing on the router identifies this customer/);
  });

  it('moves a subscription to another router and removes it from the old one', async () => {
    const sub = subscription();
    await run('activate_subscription', sub);
    const moved = set(sub, { deviceId: 2 });
    await Promise.all([run('update_subscription', moved, 1), run('update_subscription', moved, 2)]);
    const tagged = (index: number): Record<string, string>[] =>
      ['/ip/dhcp-server/lease', '/queue/simple'].flatMap((menu) =>
        router(index)
          .rows(menu)
          .filter((row) => row['comment'] === `isp:${sub.name}`),
      );
    expect(tagged(0)).toEqual([]);
    expect(tagged(1)).toHaveLength(2);
  });

  it('puts the suspension rules back first in forward on every drift repair', async () => {
    const admin = await lab.adminClient(0);
    try {
      const [jump] = await admin.print('/ip/firewall/filter', { query: ['comment=isp:@suspended-jump'] });
      await admin.remove('/ip/firewall/filter', jump?.['.id'] ?? '');
      const [dns] = await admin.print('/ip/firewall/filter', { query: ['comment=isp:@suspended-dns-udp'] });
      await admin.remove('/ip/firewall/filter', dns?.['.id'] ?? '');
      const id = odoo.addJob({ jobType: 'device_sync', deviceId: 1 });
      await waitFor('sync', () => odoo.job(id).state === 'success');
      const forward = await admin.print('/ip/firewall/filter', {
        query: ['chain=forward'],
        proplist: ['comment'],
      });
      expect(forward[0]).toEqual({ comment: 'isp:@suspended-jump' });
      const chain = await admin.print('/ip/firewall/filter', {
        query: ['chain=isp-suspended'],
        proplist: ['comment'],
      });
      expect(chain.map((row) => row['comment'])).toEqual([
        'isp:@suspended-dns-udp',
        'isp:@suspended-dns-tcp',
        'isp:@suspended-walled-garden',
        'isp:@suspended-reject',
      ]);
    } finally {
      await admin.close();
    }
  });
});

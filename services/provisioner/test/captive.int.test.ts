import { startLab, type Lab } from '@isp/routeros-sim';
import { useTestDatabase, waitFor } from '@isp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOdoo } from './fake-odoo';
import { startProvisionerHarness, type ProvisionerHarness } from './provisioner-harness';
import { subscriptionMaker } from './subscriptions';

// The captive portal on the router: vouchers' limits, removal, the walled garden, sessions
// mirrored into Odoo. This file owns 127.0.13.x.
const db = useTestDatabase('captive');
let lab: Lab;
let h: ProvisionerHarness;
const odoo = new FakeOdoo();
const subscription = subscriptionMaker(odoo, { tag: 'C', net: 13 });

function run(
  jobType: Parameters<FakeOdoo['addJob']>[0]['jobType'],
  extra: Parameters<FakeOdoo['addJob']>[0] = { jobType },
): Promise<number> {
  const id = odoo.addJob({ ...extra, jobType, deviceId: 1 });
  return waitFor(jobType, () => odoo.job(id).state === 'success').then(() => id);
}

const hotspotUsers = (): Record<string, string>[] => lab.control(0).rows('/ip/hotspot/user');

beforeAll(async () => {
  lab = await startLab({ host: '127.0.13.1', port: 0 });
  odoo.addRouters(lab.routers);
  odoo.policies.set(1, {
    suspendedRedirect: undefined,
    walledGarden: ['portal.example.net', 'pay.example.net'],
  });
  h = await startProvisionerHarness({ databaseUrl: db().url, odoo });
});

afterAll(async () => {
  await h.stop();
  await lab.close();
});

describe('captive portal on the router', () => {
  it('writes a voucher’s limits, logs it in, mirrors its session into Odoo, then removes it', async () => {
    const sub = subscription();
    odoo.addCaptiveUser(31, 'V7K2M9QX', sub);
    const voucher = odoo.captive.get(31);
    if (voucher === undefined) throw new Error('no voucher');
    odoo.captive.set(31, { ...voucher, macAddress: undefined, limitUptimeHours: 24, limitBytesMb: 2048 });
    await run('captive_user_create', { jobType: 'captive_user_create', captiveUserId: 31 });
    expect(hotspotUsers().find((u) => u['name'] === 'V7K2M9QX')).toMatchObject({
      'limit-uptime': '24h',
      'limit-bytes-total': String(2048 * 1_048_576),
      disabled: 'false',
    });

    const control = lab.control(0);
    const lease = control.dhcpBind({ mac: 'AA:BB:CC:13:00:01' });
    if (!('address' in lease)) throw new Error(lease.refused);
    expect(
      control.hotspotLogin({ user: 'V7K2M9QX', password: 'hs-pw', mac: 'AA:BB:CC:13:00:01' }),
    ).toHaveProperty('id');
    await run('device_healthcheck');
    expect(odoo.hotspotSessions.get(1)).toEqual([
      expect.objectContaining({
        user: 'V7K2M9QX',
        ip_address: lease.address,
        mac_address: 'AA:BB:CC:13:00:01',
        uptime_seconds: 0,
      }),
    ]);

    await run('captive_user_remove', { jobType: 'captive_user_remove', captiveUserId: 31 });
    expect(hotspotUsers().some((u) => u['name'] === 'V7K2M9QX')).toBe(false);
    expect(odoo.captive.get(31)?.state).toBe('removed');
  });

  it('keeps the walled garden in the hotspot and removes hosts Odoo no longer lists', async () => {
    await run('device_sync');
    const garden = (): string[] =>
      lab
        .control(0)
        .rows('/ip/hotspot/walled-garden')
        .filter((row) => row['comment'] === 'isp:@walled-garden')
        .map((row) => row['dst-host'] ?? '');
    expect(garden().sort()).toEqual(['pay.example.net', 'portal.example.net']);
    odoo.policies.set(1, { suspendedRedirect: undefined, walledGarden: ['portal.example.net'] });
    await run('device_sync');
    expect(garden()).toEqual(['portal.example.net']);
  });
});

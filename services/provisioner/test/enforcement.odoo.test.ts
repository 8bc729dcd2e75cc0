import { createLogger } from '@isp/logging';
import { createOdooClient, type OdooClient } from '@isp/odoo-client';
import { startLab, type Lab, type PacketVerdict } from '@isp/routeros-sim';
import { adminConnection, odooTestContext, sidecarConnection, useTestDatabase } from '@isp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createProvisionerOdoo } from '../src/adapters/provisioner-odoo';
import {
  createLabRecords,
  createLabSubscription,
  jobsDone,
  settle,
  type LabRecords,
} from './odoo-lab-records';
import { startProvisionerHarness, type ProvisionerHarness } from './provisioner-harness';

// The promise of the contract, from a real Odoo 19 through the real provisioner to the router,
// proven by the router's own packet verdicts: Odoo activates, suspends (by hand with a reason, or
// isp_billing's cron for an overdue invoice) and reconnects (a registered payment), and the
// customer's packets are shaped, cut and let through again. This file owns 127.0.50.x.
const ctx = odooTestContext();
const queueDb = useTestDatabase('enforce_odoo');
const logger = createLogger({ name: 'enforcement-odoo', level: 'silent' });
const NOTICE = '203.0.113.10';
const PORTAL = '203.0.113.20';
let lab: Lab;
let h: ProvisionerHarness;
let admin: OdooClient;
let sidecar: OdooClient;
let records: LabRecords;

const ok = z.unknown();
const ids = z.array(z.number());
const many2one = z.union([z.tuple([z.number(), z.string()]), z.literal(false)]);

/** An ISO date `days` before today (UTC). */
const daysAgo = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** A subscription on the lab router in draft, started 70 days ago (so that it has an overdue period). */
const createSubscription = (values: Record<string, unknown>): Promise<{ id: number; name: string }> =>
  createLabSubscription(admin, records, { start_date: daysAgo(70), billing_day: 1, ...values });

const subscriptionOf = async (
  id: number,
): Promise<{ state: string; suspension_reason: string | false; suspended_for_nonpayment: boolean }> => {
  const [row] = await admin.searchRead(
    'isp.subscription',
    { domain: [['id', '=', id]], fields: ['state', 'suspension_reason', 'suspended_for_nonpayment'] },
    z.object({
      state: z.string(),
      suspension_reason: z.union([z.string(), z.literal(false)]),
      suspended_for_nonpayment: z.boolean(),
    }),
  );
  if (row === undefined) throw new Error(`no subscription ${id}`);
  return row;
};

const router = (): ReturnType<Lab['control']> => lab.control(0);
const web = (src: string): PacketVerdict =>
  router().packet({ src, dst: '1.1.1.1', protocol: 'tcp', dstPort: 443 });

function bind(mac: string): string {
  const lease = router().dhcpBind({ mac });
  if (!('address' in lease)) throw new Error(`no lease: ${lease.refused}`);
  return lease.address;
}

const hotspotUser = (login: string): Record<string, string> | undefined =>
  router()
    .rows('/ip/hotspot/user')
    .find((row) => row['name'] === login);

beforeAll(async () => {
  lab = await startLab({ host: '127.0.50.1', port: 0 });
  admin = createOdooClient({ connection: adminConnection(ctx), logger });
  sidecar = createOdooClient({ connection: sidecarConnection(ctx), logger });
  const address = lab.routers[0]!;
  // The notice page suspended customers' plain HTTP is sent to, and a host they may still reach.
  await admin.callMethod(
    'ir.config_parameter',
    'set_param',
    undefined,
    { key: 'isp_core.suspended_redirect_address', value: `${NOTICE}:80` },
    ok,
  );
  records = await createLabRecords(admin, address, {
    label: 'Enforcement',
    // Not the factory 'MikroTik': the routers' webhooks and health checks name a router by its
    // identity, and other files' routers keep theirs.
    identity: 'enf-lab',
    plans: [{ name: 'ENF 20/5', down_mbps: 20, up_mbps: 5, price: 25 }],
  });
  await admin.create('isp.captive.walled_garden', [
    { dst_host: PORTAL, comment: 'payment portal', device_ids: [[6, 0, [records.deviceId]]] },
  ]);
  // The router's own PPPoE set-up: customers get addresses from the default profile's pool.
  const client = await lab.adminClient(0);
  await client.execute('/system/identity/set', { name: 'enf-lab' });
  await client.add('/ip/pool', { name: 'pppoe', ranges: '10.150.0.2-10.150.0.254' });
  await client.set('/ppp/profile', 'default', { 'local-address': '10.150.0.1', 'remote-address': 'pppoe' });
  await client.close();

  h = await startProvisionerHarness({
    databaseUrl: queueDb().url,
    odoo: createProvisionerOdoo(sidecar),
    settings: { routerTimeoutMs: 5_000 },
    lockWaitMs: 10_000,
  });
});

afterAll(async () => {
  await h.stop();
  await lab.close();
  await admin.callMethod(
    'ir.config_parameter',
    'set_param',
    undefined,
    { key: 'isp_core.suspended_redirect_address', value: false },
    ok,
  );
  admin.close();
  sidecar.close();
});

describe('Odoo → provisioner → router, judged by packet verdicts', () => {
  it('shapes a dynamic-DHCP customer, then cuts it when suspended with a reason, except DNS, the walled garden and the notice page', async () => {
    const sub = await createSubscription({ dhcp_mode: 'dynamic', service_mac: 'AA:BB:CC:50:00:01' });
    await admin.callMethod('isp.subscription', 'action_activate', [sub.id], {}, ok);
    await settle('activation on the router', jobsDone(admin, sub.id));
    // The client takes a lease; the server has no lease-script, so Odoo never learns its address.
    const address = bind('AA:BB:CC:50:00:01');
    expect(web(address)).toMatchObject({ verdict: 'accept', limit: '5M/20M' });

    await admin.callMethod(
      'isp.subscription',
      'action_suspend',
      [sub.id],
      { reason: 'field visit: damaged drop cable' },
      ok,
    );
    expect(await subscriptionOf(sub.id)).toMatchObject({
      state: 'suspended',
      suspension_reason: 'field visit: damaged drop cable',
    });
    await settle('suspension on the router', jobsDone(admin, sub.id));
    expect(web(address).verdict).toBe('reject');
    expect(router().packet({ src: address, dst: '8.8.8.8', protocol: 'udp', dstPort: 53 }).verdict).toBe(
      'accept',
    );
    expect(router().packet({ src: address, dst: PORTAL, protocol: 'tcp', dstPort: 443 }).verdict).toBe(
      'accept',
    );
    expect(
      router().packet({ src: address, dst: '93.184.216.34', protocol: 'tcp', dstPort: 80 }),
    ).toMatchObject({ verdict: 'accept', dstnat: `${NOTICE}:80` });
    // Another customer of the router is untouched.
    expect(web('192.168.88.250').verdict).toBe('accept');
  }, 180_000);

  it('reconnects a customer suspended for an overdue invoice when the payment is registered, captive user included', async () => {
    const mac = 'AA:BB:CC:50:00:02';
    const sub = await createSubscription({ dhcp_mode: 'dynamic', service_mac: mac });
    await admin.callMethod('isp.subscription', 'action_activate', [sub.id], {}, ok);
    const [captiveId] = (await admin.create('isp.captive.user', [
      {
        name: 'enf-hs-02',
        password: 'hs-pw',
        subscription_id: sub.id,
        device_id: records.deviceId,
        mac_address: mac,
      },
    ])) as [number];
    await admin.callMethod('isp.captive.user', 'action_provision', [captiveId], {}, ok);
    await settle('activation and the captive user on the router', jobsDone(admin, sub.id));
    const address = bind(mac);
    expect(web(address)).toMatchObject({ verdict: 'accept', limit: '5M/20M' });
    expect(hotspotUser('enf-hs-02')).toMatchObject({ disabled: 'false' });

    // The subscription's invoice for its first period, issued and due 70 days ago (posted as
    // isp_billing's invoicing posts it, with the service period set), unpaid.
    const [plan] = await admin.searchRead(
      'isp.service_plan',
      { domain: [['id', '=', records.planIds[0]]], fields: ['product_id'] },
      z.object({ product_id: many2one }),
    );
    const product = plan?.product_id;
    if (product === undefined || product === false) throw new Error('the plan has no product');
    const issued = daysAgo(70);
    const [invoiceId] = (await admin.create('account.move', [
      {
        move_type: 'out_invoice',
        partner_id: records.partnerId,
        invoice_date: issued,
        invoice_date_due: issued,
        invoice_origin: sub.name,
        isp_subscription_id: sub.id,
        isp_period_start: issued,
        invoice_line_ids: [[0, 0, { product_id: product[0], quantity: 1, price_unit: 25 }]],
      },
    ])) as [number];
    await admin.callMethod('account.move', 'action_post', [invoiceId], {}, ok);
    // isp_billing's daily suspension cron, run now.
    const [cronId] = await admin.callMethod(
      'ir.cron',
      'search',
      undefined,
      { domain: [['cron_name', '=', 'ISP: suspend for non-payment']] },
      ids,
    );
    if (cronId === undefined) throw new Error('no suspension cron');
    await admin.callMethod('ir.cron', 'method_direct_trigger', [cronId], {}, ok);
    const suspended = await subscriptionOf(sub.id);
    expect(suspended).toMatchObject({ state: 'suspended', suspended_for_nonpayment: true });
    expect(suspended.suspension_reason).toMatch(/^non-payment, invoice /);
    await settle('suspension and the captive user disabled on the router', jobsDone(admin, sub.id));
    expect(web(address).verdict).toBe('reject');
    expect(hotspotUser('enf-hs-02')).toMatchObject({ disabled: 'true' });
    expect(router().hotspotLogin({ user: 'enf-hs-02', password: 'hs-pw', mac })).toEqual({
      refused: 'authentication-failed',
    });

    // The payment, registered as an accountant does (the register-payment wizard, bank journal).
    const [bank] = await admin.callMethod(
      'account.journal',
      'search',
      undefined,
      { domain: [['type', '=', 'bank']], limit: 1 },
      ids,
    );
    if (bank === undefined) throw new Error('no bank journal');
    const context = { active_model: 'account.move', active_ids: [invoiceId] };
    const [wizardId] = (await admin.create('account.payment.register', [{ journal_id: bank }], context)) as [
      number,
    ];
    await admin.callMethod('account.payment.register', 'action_create_payments', [wizardId], {}, ok, {
      context,
    });
    const [invoice] = await admin.searchRead(
      'account.move',
      { domain: [['id', '=', invoiceId]], fields: ['payment_state'] },
      z.object({ payment_state: z.string() }),
    );
    expect(['paid', 'in_payment']).toContain(invoice?.payment_state);
    expect(await subscriptionOf(sub.id)).toMatchObject({
      state: 'active',
      suspension_reason: false,
      suspended_for_nonpayment: false,
    });
    await settle('reconnection and the captive user enabled on the router', jobsDone(admin, sub.id));
    expect(web(address)).toMatchObject({ verdict: 'accept', limit: '5M/20M' });
    expect(hotspotUser('enf-hs-02')).toMatchObject({ disabled: 'false' });
    expect(router().hotspotLogin({ user: 'enf-hs-02', password: 'hs-pw', mac })).toHaveProperty('id');
  }, 240_000);

  it('shapes a PPPoE dial-in, ends the session of a suspended subscription and refuses its dial-in', async () => {
    const sub = await createSubscription({
      auth_method: 'pppoe',
      pppoe_username: 'enf-ana',
      pppoe_password: 'pw-50',
    });
    await admin.callMethod('isp.subscription', 'action_activate', [sub.id], {}, ok);
    await settle('activation on the router', jobsDone(admin, sub.id));
    const session = router().pppConnect({ name: 'enf-ana', password: 'pw-50' });
    if (!('address' in session)) throw new Error(session.refused);
    expect(session.address).toMatch(/^10\.150\.0\./);
    expect(web(session.address)).toMatchObject({ verdict: 'accept', limit: '5M/20M' });

    await admin.callMethod(
      'isp.subscription',
      'action_suspend',
      [sub.id],
      { reason: 'customer request' },
      ok,
    );
    await settle('suspension on the router', jobsDone(admin, sub.id));
    expect(
      router()
        .rows('/ppp/active')
        .filter((row) => row['name'] === 'enf-ana'),
    ).toEqual([]);
    expect(router().pppConnect({ name: 'enf-ana', password: 'pw-50' })).toEqual({
      refused: 'authentication-failed',
    });

    await admin.callMethod('isp.subscription', 'action_reconnect', [sub.id], {}, ok);
    await settle('reconnection on the router', jobsDone(admin, sub.id));
    const again = router().pppConnect({ name: 'enf-ana', password: 'pw-50' });
    if (!('address' in again)) throw new Error(again.refused);
    expect(web(again.address)).toMatchObject({ verdict: 'accept', limit: '5M/20M' });
  }, 180_000);
});

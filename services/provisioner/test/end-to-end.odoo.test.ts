import { createGatewayRuntime } from '@isp/gateway';
import { createLogger } from '@isp/logging';
import { createOdooClient, type OdooClient } from '@isp/odoo-client';
import { leaseScript } from '@isp/routeros';
import { startLab, type Lab } from '@isp/routeros-sim';
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

// The whole loop against a real Odoo 19 with the addons: Odoo decides, the provisioner makes the
// simulated router match, and a router's lease webhook becomes a MAC profile in Odoo.
// This file owns 127.0.42.x.
const ctx = odooTestContext();
const queueDb = useTestDatabase('e2e');
const logger = createLogger({ name: 'e2e', level: 'silent' });
let lab: Lab;
let h: ProvisionerHarness;
let admin: OdooClient;
let sidecar: OdooClient;
let records: LabRecords;

const ok = z.unknown();
const ids = z.array(z.number());

/** A static-DHCP subscription on the lab router, in draft; returns its id and Odoo's name for it. */
const createSubscription = (mac: string, ip: string): Promise<{ id: number; name: string }> =>
  createLabSubscription(admin, records, { dhcp_mode: 'static', service_mac: mac, service_ip: ip });

const routerRows = (menu: string, name: string): Record<string, string>[] =>
  lab
    .control(0)
    .rows(menu)
    .filter((row) => row['comment'] === `isp:${name}`);

beforeAll(async () => {
  lab = await startLab({ host: '127.0.42.1', port: 0 });
  admin = createOdooClient({
    connection: adminConnection(ctx),
    logger,
  });
  sidecar = createOdooClient({
    connection: sidecarConnection(ctx),
    logger,
  });
  records = await createLabRecords(admin, lab.routers[0]!, {
    label: 'E2E',
    identity: 'MikroTik',
    plans: [
      { name: 'E2E 20/5', down_mbps: 20, up_mbps: 5, price: 25 },
      { name: 'E2E 100/20', down_mbps: 100, up_mbps: 20, price: 70 },
    ],
  });

  h = await startProvisionerHarness({
    databaseUrl: queueDb().url,
    odoo: createProvisionerOdoo(sidecar),
    settings: { sweepSeconds: 1, routerTimeoutMs: 5_000 },
    lockWaitMs: 10_000,
  });
});

afterAll(async () => {
  await h.stop();
  await lab.close();
  admin.close();
  sidecar.close();
});

describe('Odoo → provisioner → router', () => {
  it('carries activation, suspension, reconnection, plan change and termination to the router', async () => {
    const { id: subId, name } = await createSubscription('aa-bb-cc-42-00-01', '10.42.0.15');

    await admin.callMethod('isp.subscription', 'action_activate', [subId], {}, ok);
    await settle('activation on the router', jobsDone(admin, subId));
    expect(routerRows('/ip/dhcp-server/lease', name)).toMatchObject([
      { 'mac-address': 'AA:BB:CC:42:00:01', address: '10.42.0.15' },
    ]);
    expect(routerRows('/queue/simple', name)).toMatchObject([
      { target: '10.42.0.15/32', 'max-limit': '5000000/20000000' },
    ]);

    await admin.callMethod('isp.subscription', 'action_suspend', [subId], {}, ok);
    await settle('suspension on the router', jobsDone(admin, subId));
    expect(routerRows('/ip/firewall/address-list', name)).toMatchObject([
      { list: 'isp-suspended', address: '10.42.0.15' },
    ]);

    await admin.callMethod('isp.subscription', 'action_reconnect', [subId], {}, ok);
    await settle('reconnection on the router', jobsDone(admin, subId));
    expect(routerRows('/ip/firewall/address-list', name)).toEqual([]);

    await admin.write('isp.subscription', [subId], { plan_id: records.planIds[1] });
    await settle('plan change on the router', jobsDone(admin, subId));
    expect(routerRows('/queue/simple', name)).toMatchObject([{ 'max-limit': '20000000/100000000' }]);

    await admin.callMethod('isp.subscription', 'action_terminate', [subId], {}, ok);
    await settle('termination on the router', jobsDone(admin, subId));
    expect(routerRows('/ip/dhcp-server/lease', name)).toEqual([]);
    expect(routerRows('/queue/simple', name)).toEqual([]);

    const audit = await admin.searchRead(
      'isp.audit_log',
      {
        domain: [
          ['record_model', '=', 'isp.subscription'],
          ['record_id', '=', subId],
          ['job_id', '!=', false],
        ],
        fields: ['result'],
      },
      z.object({ result: z.string() }),
    );
    expect(audit.length).toBeGreaterThanOrEqual(5);
    const [device] = await admin.searchRead(
      'isp.device',
      { domain: [['id', '=', records.deviceId]], fields: ['status'] },
      z.object({ status: z.string() }),
    );
    expect(device?.status).toBe('online');
  }, 180_000);

  it('repairs drift on a sync: keeps live subscriptions, removes orphans, leaves the operator’s own', async () => {
    const { id: subId, name } = await createSubscription('aa-bb-cc-42-00-02', '10.42.0.16');
    await admin.callMethod('isp.subscription', 'action_activate', [subId], {}, ok);
    await settle('activation on the router', jobsDone(admin, subId));

    // Behind Odoo's back: a queue of a subscription Odoo no longer has, and one of the operator's.
    const client = await lab.adminClient(0);
    await client.add('/queue/simple', { name: 'orphan', target: '10.42.0.99/32', comment: 'isp:SUB/GONE' });
    await client.add('/queue/simple', { name: 'uplink', target: '10.42.1.0/24', comment: 'operator' });
    await client.close();

    await admin.callMethod('isp.device', 'action_sync_now', [records.deviceId], {}, ok);
    const syncDone = async (): Promise<boolean> => {
      const jobs = await admin.searchRead(
        'isp.provisioning_job',
        {
          domain: [
            ['device_id', '=', records.deviceId],
            ['job_type', '=', 'device_sync'],
          ],
          fields: ['state'],
        },
        z.object({ state: z.string() }),
      );
      return jobs.length > 0 && jobs.every((j) => j.state === 'success');
    };
    await settle('the device sync', syncDone);
    const queues = lab.control(0).rows('/queue/simple');
    expect(queues.map((q) => q['comment'])).toEqual(expect.arrayContaining([`isp:${name}`, 'operator']));
    expect(queues.filter((q) => q['comment'] === 'isp:SUB/GONE')).toEqual([]);
    expect(routerRows('/ip/dhcp-server/lease', name)).toHaveLength(1);
  }, 120_000);

  it('brings identity, RouterOS version, board and serial into Odoo on a connection test', async () => {
    await admin.callMethod('isp.device', 'action_test_connection', [records.deviceId], {}, ok);
    const device = z.object({
      status: z.string(),
      identity: z.union([z.string(), z.literal(false)]),
      routeros_version: z.union([z.string(), z.literal(false)]),
      board_name: z.union([z.string(), z.literal(false)]),
      serial: z.union([z.string(), z.literal(false)]),
    });
    const read = async (): Promise<z.output<typeof device> | undefined> =>
      (
        await admin.searchRead(
          'isp.device',
          {
            domain: [['id', '=', records.deviceId]],
            fields: ['status', 'identity', 'routeros_version', 'board_name', 'serial'],
          },
          device,
        )
      )[0];
    await settle('the health check in Odoo', async () => (await read())?.board_name === 'hAP ac^2');
    const [resource] = lab.control(0).rows('/system/resource');
    const [routerboard] = lab.control(0).rows('/system/routerboard');
    expect(await read()).toEqual({
      status: 'online',
      identity: 'MikroTik',
      routeros_version: resource?.['version'],
      board_name: 'hAP ac^2',
      serial: routerboard?.['serial-number'],
    });
  }, 120_000);

  it('turns a lease the router’s lease-script posts to the gateway into a MAC profile, matched by serial', async () => {
    const gateway = await createGatewayRuntime({
      databaseUrl: queueDb().url,
      logger,
      applicationName: 'e2e-gateway',
      config: {
        macToken: 'e2e-router-webhook-token',
        sidecarToken: 'e2e-odoo-notify-token',
        rateLimitPerMinute: 600,
      },
    });
    let decoyId: number | undefined;
    try {
      await gateway.app.listen({ host: '127.0.42.250', port: 0 });
      const { port } = gateway.app.server.address() as { port: number };
      const client = await lab.adminClient(0);
      try {
        await client.execute('/ip/dhcp-server/set', {
          '.id': 'defconf',
          'lease-script': leaseScript({
            gatewayUrl: `http://127.0.42.250:${port}`,
            token: 'e2e-router-webhook-token',
            checkCertificate: false,
          }),
        });
      } finally {
        await client.close();
      }
      // The router still calls itself "MikroTik", and so does another router in Odoo: only the
      // serial the previous test brought into Odoo tells them apart.
      [decoyId] = (await admin.create('isp.device', [
        { name: 'factory-twin', sector_id: records.sectorId, identity: 'MikroTik' },
      ])) as [number];
      const control = lab.control(0);
      const bound = control.dhcpBind({ mac: 'AA:BB:CC:42:00:99', hostname: 'ONU-99' });
      if (!('address' in bound)) throw new Error(`lease refused: ${bound.refused}`);
      await control.settled();
      expect(control.fetches.at(-1)?.outcome).toMatchObject({ status: 202 });
      await settle('the MAC profile', async () => {
        const found = await admin.callMethod(
          'isp.mac.profile',
          'search',
          undefined,
          { domain: [['mac_address', '=', 'AA:BB:CC:42:00:99']] },
          ids,
        );
        return found.length === 1;
      });
      const [profile] = await admin.searchRead(
        'isp.mac.profile',
        {
          domain: [['mac_address', '=', 'AA:BB:CC:42:00:99']],
          fields: ['ip_address', 'bound', 'hostname', 'device_id', 'router_match_note'],
        },
        z.object({
          ip_address: z.string(),
          bound: z.boolean(),
          hostname: z.string(),
          device_id: z.tuple([z.number(), z.string()]),
          router_match_note: z.literal(false),
        }),
      );
      expect(profile).toEqual({
        ip_address: bound.address,
        bound: true,
        hostname: 'ONU-99',
        device_id: [records.deviceId, 'e2e-1'],
        router_match_note: false,
      });
    } finally {
      if (decoyId !== undefined) await admin.callMethod('isp.device', 'unlink', [decoyId], {}, ok);
      await gateway.close({ graceful: false });
    }
  }, 120_000);
});

import { createGatewayRuntime, type GatewayRuntime } from '@isp/gateway';
import { createLogger } from '@isp/logging';
import { createOdooClient, type OdooClient } from '@isp/odoo-client';
import { createProvisionerOdoo, createProvisionerRuntime, type ProvisionerRuntime } from '@isp/provisioner';
import { startLab, type Lab } from '@isp/routeros-sim';
import { adminConnection, odooTestContext, sidecarConnection, useTestDatabase, waitFor } from '@isp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import type { PreloaderConfig } from '../src/config';
import { odooDeviceRegistry } from '../src/onboard/odoo-registry';
import { onboard, type OnboardResult } from '../src/onboard/onboard.command';
import { silentProgress } from '../src/output';
import { labConfig, SECRETS } from './lab-config';

// Two factory routers onboarded into a real Odoo 19; then a lease on each router goes through its
// lease-script, the real gateway, the queue and the provisioner into Odoo, and the MAC profile
// lands on that router (matched by serial); a CHR, which has no serial to send, is matched by its
// identity. This file owns 127.0.63.101-127.0.63.110.
const ctx = odooTestContext();
const queueDb = useTestDatabase('preloader');
const logger = createLogger({ name: 'preloader-odoo', level: 'silent' });
const SECTOR = 'SEC-PRE-los_cacaos';
let lab: Lab;
let admin: OdooClient;
let sidecar: OdooClient;
let gateway: GatewayRuntime;
let provisioner: ProvisionerRuntime;
let gatewayUrl: string;
let result: OnboardResult;

const settle = (what: string, check: () => Promise<boolean>): Promise<void> =>
  waitFor(what, check, { timeoutMs: 60_000, intervalMs: 250 });

/** The lab's configuration, posting leases to this file's gateway, in this file's sector. */
function configFor(lab: Lab): PreloaderConfig {
  return {
    ...labConfig(lab.routers),
    sector_code: SECTOR,
    gateway: { url: gatewayUrl, check_certificate: false },
  };
}

const falseOr = <T extends z.ZodType>(schema: T) => z.union([schema, z.literal(false)]);

beforeAll(async () => {
  admin = createOdooClient({ connection: adminConnection(ctx), logger });
  sidecar = createOdooClient({ connection: sidecarConnection(ctx), logger });
  await admin.create('isp.sector', [{ name: 'Los Cacaos (preloader)', code: SECTOR }]);
  gateway = await createGatewayRuntime({
    databaseUrl: queueDb().url,
    logger,
    applicationName: 'preloader-gateway',
    config: { macToken: SECRETS.macToken, sidecarToken: 'preloader-notify-token', rateLimitPerMinute: 600 },
  });
  gatewayUrl = await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  provisioner = await createProvisionerRuntime({
    databaseUrl: queueDb().url,
    odoo: createProvisionerOdoo(sidecar),
    logger,
    applicationName: 'preloader-provisioner',
    lockWaitMs: 10_000,
    settings: {
      dryRun: false,
      batchSize: 50,
      concurrency: 2,
      sweepSeconds: 1,
      leaseBatch: 100,
      routerTimeoutMs: 5_000,
    },
  });
  lab = await startLab({ host: '127.0.63.101', port: 0, count: 2 });
  result = await onboard(
    { config: configFor(lab), secrets: SECRETS, dryRun: false },
    { logger, progress: silentProgress, registry: odooDeviceRegistry(admin) },
  );
});

afterAll(async () => {
  await lab.close();
  await provisioner.stop({ graceful: false });
  await gateway.close({ graceful: false });
  admin.close();
  sidecar.close();
});

const deviceRow = z.object({
  id: z.number(),
  name: z.string(),
  identity: z.string(),
  serial: z.string(),
  mgmt_ip: z.string(),
  api_port: z.number(),
  api_user: z.string(),
  api_password_set: z.boolean(),
  board_name: falseOr(z.string()),
  routeros_version: falseOr(z.string()),
  sector_id: z.tuple([z.number(), z.string()]),
});

async function devices(): Promise<z.output<typeof deviceRow>[]> {
  return admin.searchRead(
    'isp.device',
    { domain: [['sector_id.code', '=', SECTOR]], fields: Object.keys(deviceRow.shape), order: 'mgmt_ip' },
    deviceRow,
  );
}

describe('onboard into a real Odoo', () => {
  it('registers each router as an isp.device with its new credentials, and its device_sync runs as mgmt_user', async () => {
    expect(result.routers.map((r) => [r.status, r.error])).toEqual([
      ['onboarded', undefined],
      ['onboarded', undefined],
    ]);
    const rows = await devices();
    expect(rows).toHaveLength(2);
    for (const [index, row] of rows.entries()) {
      const router = lab.routers[index]!;
      const serial = lab.control(index).rows('/system/routerboard')[0]?.['serial-number'];
      expect(row).toMatchObject({
        identity: `${SECTOR}-${serial}`,
        name: `${SECTOR}-${serial}`,
        serial,
        mgmt_ip: router.address,
        api_port: router.port,
        api_user: 'odoo_noc',
        api_password_set: true,
        board_name: 'hAP ac^2',
        routeros_version: '7.20 (stable)',
      });
    }
    // The sync the preloader queued is done by the provisioner with the stored (encrypted)
    // credentials: a fresh login as mgmt_user from Odoo's side.
    await settle('the device syncs', async () => {
      const jobs = await admin.searchRead(
        'isp.provisioning_job',
        {
          domain: [
            ['device_id', 'in', rows.map((r) => r.id)],
            ['job_type', '=', 'device_sync'],
          ],
          fields: ['state'],
        },
        z.object({ state: z.string() }),
      );
      return jobs.length === 2 && jobs.every((job) => job.state === 'success');
    });
    const logins = lab.control(0).changes.filter((change) => change.user === 'odoo_noc');
    expect(logins.length).toBeGreaterThan(0);
  }, 120_000);

  it("lands a lease from each router's lease-script on that router in Odoo", async () => {
    const rows = await devices();
    const macs = ['AA:BB:CC:63:01:01', 'AA:BB:CC:63:01:02'];
    for (const [index, mac] of macs.entries()) {
      const bound = lab.control(index).dhcpBind({ mac, hostname: `ONU-${index + 1}` });
      expect(bound).toHaveProperty('address');
      await lab.control(index).settled();
      expect(lab.control(index).fetches.at(-1)).toMatchObject({
        url: `${gatewayUrl}/v1/dhcp/lease`,
        outcome: { status: 202 },
      });
    }
    const profile = z.object({
      mac_address: z.string(),
      device_id: falseOr(z.tuple([z.number(), z.string()])),
    });
    const read = () =>
      admin.searchRead(
        'isp.mac.profile',
        { domain: [['mac_address', 'in', macs]], fields: ['mac_address', 'device_id'] },
        profile,
      );
    await settle('both MAC profiles', async () => (await read()).length === 2);
    const byMac = new Map(
      (await read()).map((p) => [p.mac_address, p.device_id === false ? undefined : p.device_id[0]]),
    );
    expect(byMac.get(macs[0]!)).toBe(rows[0]?.id);
    expect(byMac.get(macs[1]!)).toBe(rows[1]?.id);
  }, 120_000);

  it('leaves both routers and their Odoo records as they are on a re-run', async () => {
    const again = await onboard(
      { config: configFor(lab), secrets: SECRETS, dryRun: false },
      { logger, progress: silentProgress, registry: odooDeviceRegistry(admin) },
    );
    expect(again.routers.map((r) => [r.status, r.odoo?.outcome])).toEqual([
      ['unchanged', 'unchanged'],
      ['unchanged', 'unchanged'],
    ]);
  }, 120_000);
});

describe('onboard a CHR into a real Odoo', () => {
  it('registers it under its first Ethernet MAC, and its leases, posted with an empty serial, land on it by identity', async () => {
    const chr = await startLab({ host: '127.0.63.105', port: 0, count: 1, platforms: ['chr'] });
    try {
      const onboarded = await onboard(
        { config: configFor(chr), secrets: SECRETS, dryRun: false },
        { logger, progress: silentProgress, registry: odooDeviceRegistry(admin) },
      );
      expect(onboarded.routers[0]).toMatchObject({ status: 'onboarded' });
      const serial = onboarded.routers[0]?.serial ?? '';
      const [device] = (await devices()).filter((row) => row.mgmt_ip === '127.0.63.105');
      expect(device).toMatchObject({ serial, identity: `${SECTOR}-${serial}` });

      const mac = 'AA:BB:CC:63:05:01';
      chr.control(0).dhcpBind({ mac, hostname: 'ONU-CHR' });
      await chr.control(0).settled();
      const fetch = chr.control(0).fetches.at(-1);
      expect(fetch).toMatchObject({ url: `${gatewayUrl}/v1/dhcp/lease`, outcome: { status: 202 } });
      expect(JSON.parse(fetch?.body ?? '{}')).toMatchObject({ serial: '', router: `${SECTOR}-${serial}` });
      const profile = z.object({ device_id: falseOr(z.tuple([z.number(), z.string()])) });
      const read = () =>
        admin.searchRead(
          'isp.mac.profile',
          { domain: [['mac_address', '=', mac]], fields: ['device_id'] },
          profile,
        );
      await settle('the CHR lease in Odoo', async () => (await read()).length === 1);
      expect((await read())[0]?.device_id).toEqual([device?.id, expect.any(String)]);
    } finally {
      await chr.close();
    }
  }, 120_000);
});

import type { OdooClient } from '@isp/odoo-client';
import { waitFor } from '@isp/testing';
import { z } from 'zod';

// The Odoo records a test of the real loop needs around one simulated router: its sector, the
// router registered as an isp.device, plans and a customer; and subscriptions on that router.

export interface LabRouterAddress {
  readonly address: string;
  readonly port: number;
}

export interface LabRecordsSpec {
  /** Names the sector (`<label>`, code `SEC-<label>-lab`), the router (`<label>-1`), the customer. */
  readonly label: string;
  /** The router's identity as Odoo knows it; Odoo's default when left out. */
  readonly identity?: string;
  readonly plans: readonly { name: string; down_mbps: number; up_mbps: number; price: number }[];
}

export interface LabRecords {
  readonly sectorId: number;
  readonly deviceId: number;
  readonly planIds: readonly number[];
  readonly partnerId: number;
}

export async function createLabRecords(
  admin: OdooClient,
  router: LabRouterAddress,
  spec: LabRecordsSpec,
): Promise<LabRecords> {
  const [sectorId] = (await admin.create('isp.sector', [
    { name: spec.label, code: `SEC-${spec.label.toUpperCase()}-lab` },
  ])) as [number];
  const [deviceId] = (await admin.create('isp.device', [
    {
      name: `${spec.label.toLowerCase()}-1`,
      sector_id: sectorId,
      mgmt_ip: router.address,
      api_port: router.port,
      api_user: 'admin',
      ...(spec.identity === undefined ? {} : { identity: spec.identity }),
    },
  ])) as [number];
  const planIds = await admin.create('isp.service_plan', [...spec.plans]);
  const [partnerId] = (await admin.create('res.partner', [{ name: `${spec.label} customer` }])) as [number];
  return { sectorId, deviceId, planIds, partnerId };
}

/** A draft subscription of the lab customer on the lab router (first plan unless `values` say otherwise). */
export async function createLabSubscription(
  admin: OdooClient,
  records: LabRecords,
  values: Record<string, unknown>,
): Promise<{ id: number; name: string }> {
  const [id] = (await admin.create('isp.subscription', [
    {
      partner_id: records.partnerId,
      plan_id: records.planIds[0],
      sector_id: records.sectorId,
      device_id: records.deviceId,
      gps_lat: 18.4861,
      gps_lng: -69.9312,
      ...values,
    },
  ])) as [number];
  const [{ name }] = (await admin.searchRead(
    'isp.subscription',
    { domain: [['id', '=', id]], fields: ['name'] },
    z.object({ name: z.string() }),
  )) as [{ name: string }];
  return { id, name };
}

/**
 * Whether Odoo's jobs of a subscription (and of its captive users) have all reached the router;
 * a failed job ends the wait with its error instead of a timeout.
 */
export const jobsDone = (admin: OdooClient, subscriptionId: number) => async (): Promise<boolean> => {
  const jobs = await admin.searchRead(
    'isp.provisioning_job',
    { domain: [['subscription_id', '=', subscriptionId]], fields: ['state', 'error_message'] },
    z.object({ state: z.string(), error_message: z.union([z.string(), z.literal(false)]) }),
  );
  const failed = jobs.find((j) => j.state === 'failed');
  if (failed !== undefined) throw new Error(`a job failed: ${failed.error_message || '?'}`);
  return jobs.length > 0 && jobs.every((j) => j.state === 'success' || j.state === 'cancelled');
};

/** Odoo's view catches up through the queue and the router; polled gently, as Odoo is real. */
export const settle = (what: string, check: () => Promise<boolean>): Promise<void> =>
  waitFor(what, check, { timeoutMs: 60_000, intervalMs: 250 });

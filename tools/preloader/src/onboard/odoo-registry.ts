import type { OdooClient } from '@isp/odoo-client';
import { z } from 'zod';

import { PreloaderError } from '../errors';

/** What Odoo should hold of an onboarded router (`isp.device`). */
export interface DeviceRecord {
  readonly name: string;
  readonly sectorCode: string;
  readonly mgmtIp: string;
  readonly apiPort: number;
  readonly apiTls: boolean;
  readonly apiTlsFingerprint: string | undefined;
  readonly apiUser: string;
  readonly apiPassword: string;
  readonly identity: string;
  readonly serial: string;
  readonly board: string | undefined;
  readonly version: string | undefined;
}

export interface RegisterResult {
  readonly deviceId: number;
  readonly outcome: 'created' | 'updated' | 'unchanged';
  /** A `device_sync` job was queued (the provisioner's router-wide rules). */
  readonly syncQueued: boolean;
}

/** The narrow face of Odoo onboarding needs. */
export interface DeviceRegistry {
  /** Fails when the sector is unknown or the identity belongs to another router. */
  check(record: Pick<DeviceRecord, 'sectorCode' | 'identity' | 'serial'>): Promise<void>;
  register(record: DeviceRecord): Promise<RegisterResult>;
}

const falseOr = <T extends z.ZodType>(schema: T) => z.union([schema, z.literal(false)]);

const deviceRow = z.object({
  id: z.number(),
  name: z.string(),
  sector_id: falseOr(z.tuple([z.number(), z.string()])),
  mgmt_ip: falseOr(z.string()),
  api_port: z.number(),
  api_tls: z.boolean(),
  api_tls_fingerprint: falseOr(z.string()).optional(),
  api_user: falseOr(z.string()),
  api_password_set: z.boolean(),
  identity: falseOr(z.string()),
  serial: falseOr(z.string()),
  board_name: falseOr(z.string()),
  routeros_version: falseOr(z.string()),
});

const DEVICE_FIELDS = Object.keys(deviceRow.shape);

/** Registers routers as `isp.device` through the project's Odoo client (the admin's login). */
export function odooDeviceRegistry(odoo: OdooClient): DeviceRegistry {
  const sectorId = async (code: string): Promise<number> => {
    const rows = await odoo.searchRead(
      'isp.sector',
      { domain: [['code', '=', code]], fields: ['id'], limit: 1 },
      z.object({ id: z.number() }),
    );
    const id = rows[0]?.id;
    if (id === undefined)
      throw new PreloaderError(
        'ISP_ERR_PRELOADER_ODOO',
        `Odoo has no sector with code ${code} (sector_code)`,
      );
    return id;
  };
  const bySerial = async (serial: string) =>
    (
      await odoo.searchRead(
        'isp.device',
        {
          domain: [['serial', '=', serial]],
          fields: DEVICE_FIELDS,
          limit: 1,
          context: { active_test: false },
        },
        deviceRow,
      )
    )[0];

  return {
    async check(record) {
      await sectorId(record.sectorCode);
      const clash = await odoo.searchRead(
        'isp.device',
        {
          domain: [
            ['identity', '=', record.identity],
            ['serial', '!=', record.serial],
          ],
          fields: ['name', 'serial'],
          limit: 1,
        },
        z.object({ name: z.string(), serial: falseOr(z.string()) }),
      );
      const other = clash[0];
      if (other !== undefined)
        throw new PreloaderError(
          'ISP_ERR_PRELOADER_IDENTITY',
          `identity ${record.identity} already names router ${other.name} in Odoo (serial ${other.serial || 'unknown'}): leases could not tell them apart`,
        );
    },

    async register(record) {
      const sector = await sectorId(record.sectorCode);
      const wanted = {
        name: record.name,
        sector_id: sector,
        mgmt_ip: record.mgmtIp,
        api_port: record.apiPort,
        api_tls: record.apiTls,
        api_tls_fingerprint: record.apiTlsFingerprint ?? false,
        api_user: record.apiUser,
        identity: record.identity,
        serial: record.serial,
        board_name: record.board ?? false,
        routeros_version: record.version ?? false,
      };
      const existing = await bySerial(record.serial);
      if (existing === undefined) {
        const [deviceId] = await odoo.create('isp.device', [{ ...wanted, api_password: record.apiPassword }]);
        if (deviceId === undefined)
          throw new PreloaderError('ISP_ERR_PRELOADER_ODOO', 'Odoo created no router');
        await queueSync(odoo, deviceId);
        return { deviceId, outcome: 'created', syncQueued: true };
      }
      const current: Record<string, unknown> = {
        ...existing,
        sector_id: existing.sector_id === false ? false : existing.sector_id[0],
        api_tls_fingerprint: existing.api_tls_fingerprint ?? false,
      };
      const changed: Record<string, unknown> = Object.fromEntries(
        Object.entries(wanted).filter(([key, value]) => !sameField(key, current[key], value)),
      );
      if (!existing.api_password_set) changed['api_password'] = record.apiPassword;
      if (Object.keys(changed).length === 0)
        return { deviceId: existing.id, outcome: 'unchanged', syncQueued: false };
      await odoo.write('isp.device', [existing.id], { ...changed, active: true });
      await queueSync(odoo, existing.id);
      return { deviceId: existing.id, outcome: 'updated', syncQueued: true };
    },
  };
}

function sameField(key: string, current: unknown, wanted: unknown): boolean {
  // Odoo stores a fingerprint as AA:BB:…; RouterOS prints it as bare hex.
  if (key === 'api_tls_fingerprint' && typeof current === 'string' && typeof wanted === 'string')
    return current.replace(/:/g, '').toUpperCase() === wanted.replace(/:/g, '').toUpperCase();
  return current === wanted;
}

async function queueSync(odoo: OdooClient, deviceId: number): Promise<void> {
  await odoo.callMethod('isp.device', 'action_sync_now', [deviceId], {}, z.unknown());
}

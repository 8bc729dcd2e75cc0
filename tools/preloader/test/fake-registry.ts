import type { DeviceRecord, DeviceRegistry, RegisterResult } from '../src/onboard/odoo-registry';
import { PreloaderError } from '../src/errors';

/** Odoo's `isp.device` table in memory, with its rules: unique serial, known sectors, no shared identity. */
export class FakeRegistry implements DeviceRegistry {
  readonly devices = new Map<string, DeviceRecord & { id: number; syncs: number }>();
  private nextId = 1;

  constructor(private readonly sectors: readonly string[]) {}

  check(record: Pick<DeviceRecord, 'sectorCode' | 'identity' | 'serial'>): Promise<void> {
    if (!this.sectors.includes(record.sectorCode))
      return Promise.reject(new PreloaderError('ISP_ERR_PRELOADER_ODOO', `no sector ${record.sectorCode}`));
    const clash = [...this.devices.values()].find(
      (d) => d.identity === record.identity && d.serial !== record.serial,
    );
    if (clash !== undefined)
      return Promise.reject(
        new PreloaderError('ISP_ERR_PRELOADER_IDENTITY', `identity ${record.identity} is taken`),
      );
    return Promise.resolve();
  }

  register(record: DeviceRecord): Promise<RegisterResult> {
    const existing = this.devices.get(record.serial);
    if (existing === undefined) {
      const id = this.nextId++;
      this.devices.set(record.serial, { ...record, id, syncs: 1 });
      return Promise.resolve({ deviceId: id, outcome: 'created', syncQueued: true });
    }
    const { id, syncs, ...stored } = existing;
    if (JSON.stringify(stored) === JSON.stringify(record))
      return Promise.resolve({ deviceId: id, outcome: 'unchanged', syncQueued: false });
    this.devices.set(record.serial, { ...record, id, syncs: syncs + 1 });
    return Promise.resolve({ deviceId: id, outcome: 'updated', syncQueued: true });
  }
}

import { PassThrough } from 'node:stream';

import { createLogger } from '@isp/logging';
import { startLab, type Lab } from '@isp/routeros-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { silentProgress, stderrProgress } from '../src/output';
import { renderScan, scanJson } from '../src/render';
import { scan } from '../src/scan/scan.command';
import { startBannerServer } from './listeners';

// This file owns 127.0.60.x: factory routers at .10-.12, a router with a sticker password at .30,
// something that is not RouterOS at .40, all on one port.
const PORT = 18728;
// The routers announce themselves (MNDP) to this port: rarely on their own, at once when asked.
const MNDP = { host: '127.0.0.1', port: 25678, intervalMs: 600_000 };
let factory: Lab;
let sticker: Lab;
let banner: { close(): Promise<void> };

beforeAll(async () => {
  factory = await startLab({ host: '127.0.60.10', port: PORT, count: 3, mndp: MNDP });
  sticker = await startLab({
    host: '127.0.60.30',
    port: PORT,
    count: 1,
    adminPassword: 'Sticker-77',
    mndp: MNDP,
  });
  banner = await startBannerServer('127.0.60.40', PORT);
});

afterAll(async () => {
  await Promise.all([factory.close(), sticker.close(), banner.close()]);
});

const logger = createLogger({ name: 'scan-test', level: 'silent' });

function options(subnet: string) {
  return {
    subnet,
    port: PORT,
    concurrency: 64,
    timeoutMs: 800,
    mndpPort: undefined,
    mndpWaitMs: 0,
  };
}

describe('scan', () => {
  it('finds every listener of the subnet and tells RouterOS from the rest', async () => {
    const result = await scan(options('127.0.60.0/24'), { logger, progress: silentProgress });

    expect(result.scanned).toBe(254);
    const serials = factory.routers.map(
      (_, i) => factory.control(i).rows('/system/routerboard')[0]?.['serial-number'],
    );
    expect(
      result.listeners.map(({ address, kind, version, board, identity, serial }) => ({
        address,
        kind,
        version,
        board,
        identity,
        serial,
      })),
    ).toEqual([
      {
        address: '127.0.60.10',
        kind: 'routeros',
        version: '7.20 (stable)',
        board: 'hAP ac^2',
        identity: 'MikroTik',
        serial: serials[0],
      },
      {
        address: '127.0.60.11',
        kind: 'routeros',
        version: '7.20 (stable)',
        board: 'hAP ac^2',
        identity: 'MikroTik',
        serial: serials[1],
      },
      {
        address: '127.0.60.12',
        kind: 'routeros',
        version: '7.20 (stable)',
        board: 'hAP ac^2',
        identity: 'MikroTik',
        serial: serials[2],
      },
      {
        address: '127.0.60.30',
        kind: 'routeros-login-refused',
        version: undefined,
        board: undefined,
        identity: undefined,
        serial: undefined,
      },
      {
        address: '127.0.60.40',
        kind: 'not-routeros',
        version: undefined,
        board: undefined,
        identity: undefined,
        serial: undefined,
      },
    ]);
    const text = renderScan(result);
    expect(text).toMatch(/127\.0\.60\.30\s+RouterOS, login refused/);
    expect(text).toMatch(/127\.0\.60\.40\s+not RouterOS/);
    expect(JSON.parse(scanJson(result))).toMatchObject({ subnet: '127.0.60.0/24', port: PORT, scanned: 254 });
  });

  it('hears MNDP meanwhile: MAC and identity per address, though every factory router announces 192.168.88.1', async () => {
    const result = await scan(
      { ...options('127.0.60.0/24'), mndpPort: MNDP.port, mndpWaitMs: 300 },
      { logger, progress: silentProgress },
    );

    const bridgeMac = (lab: Lab, index: number): string | undefined =>
      lab
        .control(index)
        .rows('/interface')
        .find((row) => row['name'] === 'bridge')?.['mac-address'];
    const macs = [0, 1, 2].map((i) => bridgeMac(factory, i));
    expect(new Set(macs).size).toBe(3);
    for (const [index, mac] of macs.entries()) {
      expect(result.listeners[index]?.neighbours).toEqual([
        expect.objectContaining({
          from: `127.0.60.1${index}`,
          mac,
          identity: 'MikroTik',
          address: '192.168.88.1',
        }),
      ]);
    }
    expect(result.neighbours).toHaveLength(4);
    expect(result.listeners.find((l) => l.address === '127.0.60.40')?.neighbours).toEqual([]);
    const text = renderScan(result);
    expect(text).toContain('MNDP neighbours heard: 4');
    expect(text).toContain(`${macs[0]} MikroTik`);
  });

  it('reports a router that limits its API to other addresses as closing at once', async () => {
    const client = await factory.adminClient(2);
    const [api] = await client.print('/ip/service', { query: ['name=api'] });
    await client.set('/ip/service', api!['.id'], { 'available-from': '10.10.0.0/24' });
    await client.close();
    const result = await scan(options('127.0.60.12/32'), { logger, progress: silentProgress });
    expect(result.listeners).toMatchObject([{ address: '127.0.60.12', kind: 'closed' }]);
  });

  it('shows its progress on stderr, never on stdout', async () => {
    const progress = new PassThrough();
    const lines: string[] = [];
    progress.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    await scan(options('127.0.60.8/29'), { logger, progress: stderrProgress(progress, 0) });
    expect(lines.join('')).toContain('probed 6/6, 3 listening');
    expect(lines.join('')).toContain('identified 3/3');
  });
});

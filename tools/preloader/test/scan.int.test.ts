import { PassThrough } from 'node:stream';

import { createLogger } from '@isp/logging';
import { startLab, type Lab } from '@isp/routeros-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { silentProgress, stderrProgress } from '../src/output';
import { renderScan, scanJson } from '../src/render';
import { mndpNeighbour } from '../src/scan/neighbour';
import { scan } from '../src/scan/scan.command';
import { startBannerServer } from './listeners';

// This file owns 127.0.60.x: factory routers at .10-.12, a router with a sticker password at .30,
// something that is not RouterOS at .40, all on one port.
const PORT = 18728;
let factory: Lab;
let sticker: Lab;
let banner: { close(): Promise<void> };

beforeAll(async () => {
  factory = await startLab({ host: '127.0.60.10', port: PORT, count: 3 });
  sticker = await startLab({ host: '127.0.60.30', port: PORT, count: 1, adminPassword: 'Sticker-77' });
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
    mndpDecode: mndpNeighbour,
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

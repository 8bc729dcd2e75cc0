import { listenMndp } from '@isp/routeros';
import type { MndpListener, MndpSighting } from '@isp/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startControlApi, startLab } from '../src/index';
import type { Lab } from '../src/index';

// MNDP announcements of a lab, read with the decoder of @isp/routeros. This file owns 127.0.71.x
// (routers .1–.3, the listener .250).
let lab: Lab;
let listener: MndpListener;
const sightings: MndpSighting[] = [];

beforeAll(async () => {
  listener = await listenMndp({
    host: '127.0.71.250',
    port: 0,
    onAnnouncement: (sighting) => sightings.push(sighting),
  });
  lab = await startLab({
    host: '127.0.71.1',
    port: 0,
    count: 3,
    mndp: { host: '127.0.71.250', port: listener.port, intervalMs: 150 },
  });
});

afterAll(async () => {
  await lab.close();
  await listener.close();
});

async function until<T>(find: () => T | undefined, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('MNDP', () => {
  it('announces every router periodically, each with its own MAC, from its own address', async () => {
    await until(() => {
      const from = lab.routers.map(
        (router) => sightings.filter((s) => s.from.address === router.address).length,
      );
      return from.every((count) => count >= 2) ? from : undefined;
    });
    const first = sightings.find((s) => s.from.address === '127.0.71.1');
    const board = lab.control(0).rows('/system/routerboard')[0];
    const bridge = lab
      .control(0)
      .rows('/interface')
      .find((row) => row['name'] === 'bridge');
    expect(first?.announcement).toMatchObject({
      macAddress: bridge?.['mac-address'],
      identity: 'MikroTik',
      platform: 'MikroTik',
      board: board?.['model'],
      interfaceName: 'bridge',
      ipv4Address: '192.168.88.1',
      unpack: 0,
    });
    expect(first?.announcement.version).toMatch(/^7\.20 \(stable\) \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(first?.announcement.softwareId).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(first?.announcement.ipv6Address).toMatch(/^fe80::/);
    expect(first?.announcement.uptimeSeconds).toBeGreaterThanOrEqual(0);
    const macs = new Set(
      lab.routers.map(
        (router) => sightings.find((s) => s.from.address === router.address)?.announcement.macAddress,
      ),
    );
    expect(macs.size).toBe(3);
    const seqs = sightings.filter((s) => s.from.address === '127.0.71.2').map((s) => s.announcement.seq);
    expect(seqs[1]).toBe((seqs[0] ?? 0) + 1);
  });

  it('announces the new identity, and answers a discovery request at once', async () => {
    const client = await lab.adminClient(1);
    try {
      await client.execute('/system/identity/set', { name: 'rtr-sector-7' });
    } finally {
      await client.close();
    }
    // A second listener, not the lab's target: only the answer to its own request reaches it.
    const answers: MndpSighting[] = [];
    const asker = await listenMndp({
      host: '127.0.71.251',
      port: 0,
      onAnnouncement: (sighting) => answers.push(sighting),
    });
    try {
      await asker.request('127.0.71.2');
      const answer = await until(() => answers[0]);
      expect(answer.from.address).toBe('127.0.71.2');
      expect(answer.announcement.identity).toBe('rtr-sector-7');
      expect(answers).toHaveLength(1);
    } finally {
      await asker.close();
    }
    await until(() => sightings.find((s) => s.announcement.identity === 'rtr-sector-7'));
    expect(lab.control(2).announceMndp()).toBe(true);
  });

  it('announces on request of the control API', async () => {
    const control = await startControlApi(lab, { host: '127.0.71.240', port: 0 });
    try {
      const before = sightings.length;
      const response = await fetch(`http://${control.address}/routers/127.0.71.3/mndp/announce`, {
        method: 'POST',
      });
      expect(await response.json()).toEqual({ announced: true });
      await until(() => sightings.slice(before).find((s) => s.from.address === '127.0.71.3'));
    } finally {
      await control.close();
    }
  });

  it('falls silent when discovery is off for every interface, as the hardening guide sets it', async () => {
    const client = await lab.adminClient(2);
    try {
      expect((await client.print('/ip/neighbor/discovery-settings'))[0]).toMatchObject({
        'discover-interface-list': 'LAN',
        protocol: 'cdp,lldp,mndp',
      });
      await client.execute('/ip/neighbor/discovery-settings/set', { 'discover-interface-list': 'none' });
      // An announcement already on its way may still arrive: count from a moment later.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const before = sightings.filter((s) => s.from.address === '127.0.71.3').length;
      const othersBefore = sightings.filter((s) => s.from.address === '127.0.71.1').length;
      await listener.request('127.0.71.3');
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(sightings.filter((s) => s.from.address === '127.0.71.3')).toHaveLength(before);
      expect(sightings.filter((s) => s.from.address === '127.0.71.1').length).toBeGreaterThan(othersBefore);
      await client.execute('/ip/neighbor/discovery-settings/set', { 'discover-interface-list': 'LAN' });
    } finally {
      await client.close();
    }
    await until(() =>
      sightings.filter((s) => s.from.address === '127.0.71.3').length > 0 ? true : undefined,
    );
  });
});

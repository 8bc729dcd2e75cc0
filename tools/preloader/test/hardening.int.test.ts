import { PassThrough } from 'node:stream';

import { createLogger } from '@isp/logging';
import { listenMndp, type MndpListener } from '@isp/routeros';
import { startLab, type Lab } from '@isp/routeros-sim';
import { afterEach, describe, expect, it } from 'vitest';

import type { PreloaderConfig } from '../src/config';
import { onboard } from '../src/onboard/onboard.command';
import { silentProgress } from '../src/output';
import { renderOnboard } from '../src/render';
import { FakeRegistry } from './fake-registry';
import { labConfig, SECRETS } from './lab-config';

// MikroTik's "Securing your router" items beyond users, services and the input chain, judged
// from the router's state and from what it still announces. This file owns 127.0.63.200-127.0.63.239.
let lab: Lab | undefined;
let listener: MndpListener | undefined;

afterEach(async () => {
  await lab?.close();
  await listener?.close();
  lab = undefined;
  listener = undefined;
});

// One Odoo for the whole file, as for a technician's runs.
const registry = new FakeRegistry(['SEC-001-los_cacaos']);

function run(config: PreloaderConfig, dryRun = false) {
  return onboard(
    { config, secrets: SECRETS, dryRun },
    {
      logger: createLogger({ name: 'preloader-test', level: 'silent', destination: new PassThrough() }),
      progress: silentProgress,
      registry: dryRun ? undefined : registry,
      randomPassword: () => `Random-${Math.random().toString(36).slice(2)}`,
    },
  );
}

/** A factory router someone had opened further: every item of the guide the wrong way round. */
async function openUp(target: Lab): Promise<void> {
  const admin = await target.adminClient(0);
  try {
    await admin.set('/ip/proxy', undefined, { enabled: 'yes' });
    await admin.set('/ip/socks', undefined, { enabled: 'yes' });
    await admin.set('/ip/upnp', undefined, { enabled: 'yes' });
    await admin.set('/ip/cloud', undefined, { 'ddns-enabled': 'yes' });
    await admin.set('/ip/dns', undefined, { 'allow-remote-requests': 'no' });
    await admin.set('/tool/mac-server', undefined, { 'allowed-interface-list': 'all' });
    await admin.set('/tool/mac-server/mac-winbox', undefined, { 'allowed-interface-list': 'all' });
    await admin.set('/ip/neighbor/discovery-settings', undefined, { 'discover-interface-list': 'all' });
    await admin.add('/interface/list/member', { list: 'LAN', interface: 'ether1' });
  } finally {
    await admin.close();
  }
}

function one(target: Lab, menu: string): Record<string, string> {
  return target.control(0).rows(menu)[0] ?? {};
}

function withRouterOs(
  config: PreloaderConfig,
  routeros: Partial<PreloaderConfig['routeros']>,
): PreloaderConfig {
  return { ...config, routeros: { ...config.routeros, ...routeros } };
}

describe('onboard hardening', () => {
  it('closes MAC access, the bandwidth server, proxy, SOCKS, UPnP and DDNS, keeps DNS and discovery on the LAN only', async () => {
    lab = await startLab({ host: '127.0.63.201', port: 0, count: 1 });
    await openUp(lab);
    const config = labConfig(lab.routers);

    const result = await run(config);

    expect(result.routers[0]?.status).toBe('onboarded');
    expect(one(lab, '/tool/mac-server')).toMatchObject({ 'allowed-interface-list': 'none' });
    expect(one(lab, '/tool/mac-server/mac-winbox')).toMatchObject({ 'allowed-interface-list': 'none' });
    expect(one(lab, '/tool/mac-server/ping')).toMatchObject({ enabled: 'false' });
    expect(one(lab, '/ip/neighbor/discovery-settings')).toMatchObject({ 'discover-interface-list': 'LAN' });
    expect(one(lab, '/tool/bandwidth-server')).toMatchObject({ enabled: 'false' });
    expect(one(lab, '/ip/dns')).toMatchObject({ 'allow-remote-requests': 'true' });
    for (const menu of ['/ip/proxy', '/ip/socks', '/ip/upnp'])
      expect(one(lab, menu), menu).toMatchObject({ enabled: 'false' });
    expect(one(lab, '/ip/cloud')).toMatchObject({ 'ddns-enabled': 'no', 'update-time': 'true' });
    expect(one(lab, '/ip/ssh')).toMatchObject({ 'strong-crypto': 'true', 'forwarding-enabled': 'no' });
    // The LAN list holds the LAN bridge and not the WAN: discovery and MAC access follow it.
    const lanMembers = lab
      .control(0)
      .rows('/interface/list/member')
      .filter((m) => m['list'] === 'LAN')
      .map((m) => m['interface']);
    expect(lanMembers).toEqual(['bridge']);
    // DNS answers the LAN only: the input chain drops it from the WAN side.
    const dns = (src: string) =>
      lab!.control(0).packet({ src, dst: '192.168.88.1', protocol: 'udp', dstPort: 53 }).verdict;
    expect(dns('192.168.88.50')).toBe('accept');
    expect(dns('203.0.113.9')).toBe('drop');
    const text = renderOnboard(result);
    expect(text).toContain('/tool mac-server set allowed-interface-list=none');
    expect(text).toContain('/ip proxy set enabled=no');
    expect(text).toContain('/interface list member remove [find list=LAN interface=ether1]');

    // A re-run finds everything as wanted and changes nothing.
    const changes = lab.control(0).changes.length;
    const again = await run(config);
    expect(again.routers[0]?.status).toBe('unchanged');
    expect(lab.control(0).changes).toHaveLength(changes);
  });

  it('with mac_access: lan and discovery: off, MAC access stays on the LAN and the router stops announcing itself', async () => {
    let heard = 0;
    listener = await listenMndp({ host: '127.0.63.239', port: 0, onAnnouncement: () => heard++ });
    lab = await startLab({
      host: '127.0.63.211',
      port: 0,
      count: 1,
      mndp: { host: '127.0.63.239', port: listener.port, intervalMs: 3_600_000, listenPort: 0 },
    });
    // Asks for an announcement and counts what arrives: at once when one comes, else after 500 ms.
    const announced = async (): Promise<number> => {
      heard = 0;
      lab!.control(0).announceMndp();
      for (let waited = 0; heard === 0 && waited < 500; waited += 25)
        await new Promise((resolve) => setTimeout(resolve, 25));
      return heard;
    };
    expect(await announced()).toBeGreaterThan(0);

    const config = withRouterOs(labConfig(lab.routers), { mac_access: 'lan', discovery: 'off' });
    const result = await run(config);

    expect(result.routers[0]?.status).toBe('onboarded');
    expect(one(lab, '/tool/mac-server')).toMatchObject({ 'allowed-interface-list': 'LAN' });
    expect(one(lab, '/tool/mac-server/mac-winbox')).toMatchObject({ 'allowed-interface-list': 'LAN' });
    expect(one(lab, '/tool/mac-server/ping')).toMatchObject({ enabled: 'true' });
    expect(one(lab, '/ip/neighbor/discovery-settings')).toMatchObject({ 'discover-interface-list': 'none' });
    expect(await announced()).toBe(0);
    const changes = lab.control(0).changes.length;
    expect((await run(config)).routers[0]?.status).toBe('unchanged');
    expect(lab.control(0).changes).toHaveLength(changes);
  });

  it('shows every hardening command in a dry run and changes nothing', async () => {
    lab = await startLab({ host: '127.0.63.221', port: 0, count: 1 });
    await openUp(lab);
    const before = lab.control(0).changes.length;

    const result = await run(labConfig(lab.routers), true);

    expect(result.routers[0]?.status).toBe('planned');
    expect(lab.control(0).changes).toHaveLength(before);
    expect(one(lab, '/ip/proxy')).toMatchObject({ enabled: 'true' });
    const text = renderOnboard(result);
    for (const command of [
      '/ip ssh set strong-crypto=yes',
      '/tool mac-server set allowed-interface-list=none',
      '/tool mac-server mac-winbox set allowed-interface-list=none',
      '/tool mac-server ping set enabled=no',
      '/ip neighbor discovery-settings set discover-interface-list=LAN',
      '/tool bandwidth-server set enabled=no',
      '/ip dns set allow-remote-requests=yes',
      '/ip proxy set enabled=no',
      '/ip socks set enabled=no',
      '/ip upnp set enabled=no',
      '/ip cloud set ddns-enabled=no',
      '/interface list member remove [find list=LAN interface=ether1]',
    ])
      expect(text).toContain(command);
  });
});

describe('onboard a CHR', () => {
  it('names it by its first Ethernet MAC, and its lease-script posts leases with an empty serial', async () => {
    lab = await startLab({ host: '127.0.63.231', port: 0, count: 1, platforms: ['chr'] });
    const base = labConfig(lab.routers);
    // Nothing listens there: the fetch fails, but the script ran up to it and its body is recorded.
    const config = { ...base, gateway: { url: 'http://127.0.63.238:9', check_certificate: false } };

    const result = await run(config);

    expect(result.routers[0]?.status).toBe('onboarded');
    const control = lab.control(0);
    const mac = control.rows('/interface').find((i) => i['name'] === 'ether1')?.['mac-address'] ?? '';
    expect(result.routers[0]?.serial).toBe(mac.replace(/:/g, ''));
    expect(control.rows('/system/identity')[0]?.['name']).toBe(`SEC-001-los_cacaos-${mac.replace(/:/g, '')}`);

    control.dhcpBind({ mac: 'AA:BB:CC:00:00:01' });
    await control.settled();
    const fetch = control.fetches.at(-1);
    expect(fetch?.url).toBe('http://127.0.63.238:9/v1/dhcp/lease');
    expect(JSON.parse(fetch?.body ?? '{}')).toMatchObject({
      mac: 'AA:BB:CC:00:00:01',
      bound: true,
      router: `SEC-001-los_cacaos-${mac.replace(/:/g, '')}`,
      serial: '',
    });
  });
});

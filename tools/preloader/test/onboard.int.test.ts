import net from 'node:net';
import { PassThrough } from 'node:stream';

import { createLogger } from '@isp/logging';
import { encodeSentence, isRouterOsError, leaseScript, RouterClient } from '@isp/routeros';
import { startLab, type Lab } from '@isp/routeros-sim';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';

import { onboard, type OnboardResult } from '../src/onboard/onboard.command';
import { MGMT_POLICIES, OWN_COMMENT } from '../src/onboard/plan';
import { silentProgress } from '../src/output';
import { onboardJson, renderOnboard } from '../src/render';
import { FakeRegistry } from './fake-registry';
import { labConfig, SECRETS } from './lab-config';
import { startBannerServer } from './listeners';

// This file owns 127.0.61.x and 127.0.62.x.
let lab: Lab | undefined;

afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

function run(
  config: ReturnType<typeof labConfig>,
  registry: FakeRegistry | undefined,
  dryRun = false,
  logs?: PassThrough,
) {
  const logger = createLogger({
    name: 'preloader-test',
    level: 'debug',
    destination: logs ?? new PassThrough(),
  });
  return onboard(
    { config, secrets: SECRETS, dryRun },
    {
      logger,
      progress: silentProgress,
      registry,
      randomPassword: () => `Random-${Math.random().toString(36).slice(2)}`,
    },
  );
}

async function login(lab: Lab, index: number, user: string, password: string): Promise<'ok' | 'refused'> {
  const router = lab.routers[index]!;
  try {
    const client = await RouterClient.connect({
      host: router.address,
      port: router.port,
      user,
      password,
      timeoutMs: 3000,
    });
    await client.close();
    return 'ok';
  } catch (error) {
    if (isRouterOsError(error, 'ISP_ERR_ROUTEROS_LOGIN_FAILED')) return 'refused';
    throw error;
  }
}

function byName(rows: Record<string, string>[], name: string): Record<string, string> | undefined {
  return rows.find((row) => row['name'] === name);
}

describe('onboard', () => {
  it('secures, configures, names and registers every router, judged from the routers themselves', async () => {
    lab = await startLab({ host: '127.0.61.1', port: 0, count: 3 });
    const registry = new FakeRegistry(['SEC-001-los_cacaos']);
    const config = labConfig(lab.routers);
    const result = await run(config, registry);

    expect(result.ok).toBe(true);
    expect(result.routers.map((r) => r.status)).toEqual(['onboarded', 'onboarded', 'onboarded']);
    const identities = new Set<string>();
    for (const [index, report] of result.routers.entries()) {
      const control = lab.control(index);
      const serial = control.rows('/system/routerboard')[0]?.['serial-number'];
      expect(report.serial).toBe(serial);
      // Secure: the management account, in a group with the provisioner's policies only.
      const group = byName(control.rows('/user/group'), 'isp-noc');
      expect(new Set(group?.['policy']?.split(',').filter((p) => !p.startsWith('!')))).toEqual(
        new Set(MGMT_POLICIES.split(',')),
      );
      expect(byName(control.rows('/user'), 'odoo_noc')).toMatchObject({
        group: 'isp-noc',
        address: '127.0.0.1/32',
      });
      const services = control.rows('/ip/service').filter((s) => s['dynamic'] !== 'true');
      for (const name of ['telnet', 'ftp', 'www', 'api-ssl'])
        expect(byName(services, name)?.['disabled']).toBe('true');
      expect(byName(services, 'api')).toMatchObject({ disabled: 'false', 'available-from': '127.0.0.1/32' });
      // The input chain: ours first, in order, ending in a drop; the defconf rules after it.
      const input = control.rows('/ip/firewall/filter').filter((r) => r['chain'] === 'input');
      const ours = input.filter((r) => r['comment']?.startsWith(OWN_COMMENT));
      expect(input.slice(0, ours.length)).toEqual(ours);
      expect(ours.at(-1)).toMatchObject({ action: 'drop' });
      const verdict = (src: string, protocol: 'tcp' | 'udp' | 'icmp', dstPort?: number) =>
        control.packet({ src, dst: '192.168.88.1', protocol, ...(dstPort === undefined ? {} : { dstPort }) })
          .verdict;
      expect(verdict('192.168.88.50', 'udp', 53)).toBe('accept');
      expect(verdict('192.168.88.50', 'icmp')).toBe('accept');
      expect(verdict('192.168.88.50', 'tcp', 8728)).toBe('drop');
      expect(verdict('192.168.88.50', 'tcp', 8291)).toBe('drop');
      expect(verdict('203.0.113.9', 'tcp', 8728)).toBe('drop');
      expect(verdict('203.0.113.9', 'udp', 53)).toBe('drop');
      expect(verdict('127.0.0.1', 'tcp', 8728)).toBe('accept');
      // Configure: WAN, LAN bridge, DHCP server with the lease-script, hotspot.
      expect(control.rows('/ip/dhcp-client').find((c) => c['interface'] === 'ether1')).toMatchObject({
        disabled: 'false',
      });
      expect(control.rows('/ip/firewall/nat')).toContainEqual(
        expect.objectContaining({ chain: 'srcnat', action: 'masquerade', 'out-interface': 'ether1' }),
      );
      const ports = control.rows('/interface/bridge/port');
      for (const port of ['ether2', 'ether3'])
        expect(ports.find((p) => p['interface'] === port)).toMatchObject({ bridge: 'bridge' });
      expect(ports.find((p) => p['interface'] === 'ether1')).toBeUndefined();
      const server = control.rows('/ip/dhcp-server').find((s) => s['interface'] === 'bridge');
      expect(server?.['lease-script']).toBe(
        leaseScript({
          gatewayUrl: 'http://127.0.0.1:3000',
          token: SECRETS.macToken,
          checkCertificate: false,
        }),
      );
      expect(
        control.rows('/ip/hotspot/profile').find((p) => p['dns-name'] === 'portal.example.net'),
      ).toBeDefined();
      expect(control.rows('/ip/hotspot').find((h) => h['interface'] === 'bridge')).toMatchObject({
        profile: 'isp-hotspot',
      });
      // Name: unique, from sector and serial.
      const identity = control.rows('/system/identity')[0]?.['name'] ?? '';
      expect(identity).toBe(`SEC-001-los_cacaos-${serial}`);
      identities.add(identity);
      // Fresh logins: mgmt_user in, factory admin out; admin's new password works, shown once.
      expect(await login(lab, index, 'odoo_noc', SECRETS.mgmtPassword)).toBe('ok');
      expect(await login(lab, index, 'admin', '')).toBe('refused');
      expect(report.adminPassword).toMatch(/^Random-/);
      expect(await login(lab, index, 'admin', report.adminPassword!)).toBe('ok');
      // Registered: the management address and the new credentials.
      expect(registry.devices.get(serial!)).toMatchObject({
        identity,
        mgmtIp: lab.routers[index]!.address,
        apiPort: lab.routers[index]!.port,
        apiUser: 'odoo_noc',
        apiPassword: SECRETS.mgmtPassword,
        sectorCode: 'SEC-001-los_cacaos',
        board: 'hAP ac^2',
        syncs: 1,
      });
    }
    expect(identities.size).toBe(3);
  });

  it('leaves a finished router as it is on a re-run, and says so', async () => {
    lab = await startLab({ host: '127.0.61.11', port: 0, count: 2 });
    const registry = new FakeRegistry(['SEC-001-los_cacaos']);
    const config = labConfig(lab.routers);
    await run(config, registry);
    const changes = lab.routers.map((_, i) => lab!.control(i).changes.length);

    const again = await run(config, registry);

    expect(again.ok).toBe(true);
    expect(again.routers.map((r) => [r.status, r.login])).toEqual([
      ['unchanged', 'mgmt_user'],
      ['unchanged', 'mgmt_user'],
    ]);
    expect(again.routers.every((r) => r.adminPassword === undefined)).toBe(true);
    expect(lab.routers.map((_, i) => lab!.control(i).changes.length)).toEqual(changes);
    expect([...registry.devices.values()].map((d) => d.syncs)).toEqual([1, 1]);
    expect(renderOnboard(again)).toContain('0 onboarded, 2 already onboarded, 0 failed');
  });

  it('finishes a router that a lost connection left half-done', async () => {
    lab = await startLab({ host: '127.0.61.21', port: 0, count: 1 });
    const registry = new FakeRegistry(['SEC-001-los_cacaos']);
    const config = labConfig(lab.routers);
    // The connection dies once the management user exists, before the firewall is written.
    lab.control(0).dropConnectionOn('/ip/firewall/filter/add', { times: 1 });

    const first = await run(config, registry);
    expect(first.ok).toBe(false);
    expect(first.routers[0]).toMatchObject({ status: 'failed', error: { step: 'secure' } });
    expect(byName(lab.control(0).rows('/user'), 'odoo_noc')).toBeDefined();
    expect(registry.devices.size).toBe(0);

    const second = await run(config, registry);
    expect(second.routers[0]).toMatchObject({ status: 'onboarded', login: 'factory' });
    expect(await login(lab, 0, 'admin', '')).toBe('refused');
    expect(await login(lab, 0, 'odoo_noc', SECRETS.mgmtPassword)).toBe('ok');
    expect(registry.devices.size).toBe(1);
  });

  it('finishes a router whose factory login is already gone, logging in as mgmt_user', async () => {
    lab = await startLab({ host: '127.0.61.31', port: 0, count: 1 });
    const registry = new FakeRegistry(['SEC-001-los_cacaos']);
    // Half-done by hand: the management account made and admin re-passworded, nothing else.
    const admin = await lab.adminClient(0);
    await admin.add('/user/group', { name: 'isp-noc', policy: MGMT_POLICIES });
    await admin.add('/user', {
      name: 'odoo_noc',
      group: 'isp-noc',
      password: SECRETS.mgmtPassword,
      address: '127.0.0.1/32',
    });
    const [adminUser] = await admin.print('/user', { query: ['name=admin'] });
    await admin.set('/user', adminUser!['.id'], { password: 'sticker-pass' });
    await admin.close();

    const result = await run(labConfig(lab.routers), registry);

    expect(result.routers[0]).toMatchObject({ status: 'onboarded', login: 'mgmt_user' });
    expect(result.routers[0]?.adminPassword).toBeUndefined();
    const control = lab.control(0);
    expect(
      control.rows('/ip/firewall/filter').filter((r) => r['comment']?.startsWith(OWN_COMMENT)),
    ).toHaveLength(7);
    expect(control.rows('/system/identity')[0]?.['name']).toMatch(/^SEC-001-los_cacaos-/);
    expect(registry.devices.size).toBe(1);
  });

  it('logs in with the sticker password of MIKROTIK_FACTORY_PASS, and leaves it refused', async () => {
    lab = await startLab({ host: '127.0.61.41', port: 0, count: 1, adminPassword: 'Sticker-77' });
    const logger = createLogger({ name: 'preloader-test', level: 'silent' });
    const secrets = { ...SECRETS, factoryPassword: 'Sticker-77' };
    const result = await onboard(
      { config: labConfig(lab.routers), secrets, dryRun: false },
      { logger, progress: silentProgress, registry: new FakeRegistry(['SEC-001-los_cacaos']) },
    );
    expect(result.routers[0]).toMatchObject({ status: 'onboarded', login: 'factory' });
    expect(await login(lab, 0, 'admin', 'Sticker-77')).toBe('refused');
    expect(result.routers[0]?.steps.find((s) => s.name === 'verify')?.commands).toHaveLength(2);
  });

  it('reports one failing router and onboards the others; the result says not all succeeded', async () => {
    lab = await startLab({ host: '127.0.62.1', port: 0, count: 3 });
    const registry = new FakeRegistry(['SEC-001-los_cacaos']);
    lab.control(1).trapCommand('/system/identity/set', 'failure: identity is locked');

    const result = await run(labConfig(lab.routers), registry);

    expect(result.ok).toBe(false);
    expect(result.routers.map((r) => r.status)).toEqual(['onboarded', 'failed', 'onboarded']);
    expect(result.routers[1]?.error).toMatchObject({ step: 'name', code: 'ISP_ERR_PRELOADER_ROUTER' });
    expect(result.routers[1]?.error?.message).toContain('failure: identity is locked');
    expect(registry.devices.size).toBe(2);
    expect(renderOnboard(result)).toContain('2 onboarded, 0 already onboarded, 1 failed');
  });

  it('fails a router whose configured interfaces do not exist, before changing anything', async () => {
    lab = await startLab({ host: '127.0.62.11', port: 0, count: 1 });
    const config = labConfig(lab.routers).lan_ports;
    const bad = labConfig(lab.routers);
    const result = await run(
      { ...bad, lan_ports: [...config, 'sfp1'] },
      new FakeRegistry(['SEC-001-los_cacaos']),
    );
    expect(result.routers[0]).toMatchObject({
      status: 'failed',
      error: { code: 'ISP_ERR_PRELOADER_INTERFACE' },
    });
    expect(result.routers[0]?.error?.message).toContain('no interface sfp1');
    expect(lab.control(0).changes).toHaveLength(0);
  });

  it('refuses an identity that already names another router in Odoo', async () => {
    lab = await startLab({ host: '127.0.62.21', port: 0, count: 2 });
    const result = await run(
      labConfig(lab.routers, 'identity: "{sector}-edge"\n'),
      new FakeRegistry(['SEC-001-los_cacaos']),
    );
    expect(result.routers.map((r) => r.status).sort()).toEqual(['failed', 'onboarded']);
    expect(result.routers.find((r) => r.status === 'failed')?.error?.code).toBe('ISP_ERR_PRELOADER_IDENTITY');
  });

  it('changes nothing in a dry run and prints the exact commands', async () => {
    lab = await startLab({ host: '127.0.62.31', port: 0, count: 2 });
    const result = await run(labConfig(lab.routers), undefined, true);

    expect(result.routers.map((r) => r.status)).toEqual(['planned', 'planned']);
    expect(lab.routers.map((_, i) => lab!.control(i).changes.length)).toEqual([0, 0]);
    expect(await login(lab, 0, 'admin', '')).toBe('ok');
    const text = renderOnboard(result);
    expect(text).toContain('/user group add name=isp-noc policy=api,read,write,test,sensitive');
    expect(text).toContain('/ip service set [find name=telnet] disabled=yes');
    expect(text).toContain(
      '/ip firewall filter add chain=input comment="isp-preloader: drop everything else" action=drop',
    );
    expect(text).toContain('/system identity set name=SEC-001-los_cacaos-');
    expect(text).toContain('nothing was changed');
  });

  it('keeps the secrets of the environment out of the output, the JSON and the logs', async () => {
    lab = await startLab({ host: '127.0.62.41', port: 0, count: 2 });
    const logs = new PassThrough();
    const logged: Buffer[] = [];
    logs.on('data', (chunk: Buffer) => logged.push(chunk));
    const registry = new FakeRegistry(['SEC-001-los_cacaos']);
    lab.control(1).trapCommand('/ip/dhcp-server/set', `failure: bad script ${SECRETS.macToken.slice(0, 3)}`);
    const results: OnboardResult[] = [
      await run(labConfig(lab.routers), undefined, true, logs),
      await run(labConfig(lab.routers), registry, false, logs),
    ];
    const everything = [
      ...results.flatMap((r) => [renderOnboard(r), onboardJson(r)]),
      Buffer.concat(logged).toString('utf8'),
    ].join('\n');
    expect(everything).toContain('$MIKROTIK_MGMT_PASS');
    expect(everything).toContain('$ISP_MAC_TOKEN');
    for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);
  });
});

describe('onboard with a subnet', () => {
  it('onboards every RouterOS API listener of the subnet and leaves the rest out', async () => {
    lab = await startLab({ host: '127.0.61.49', port: 19728, count: 2 });
    const banner = await startBannerServer('127.0.61.53', 19728);
    onTestFinished(() => banner.close());
    const base = labConfig(lab.routers);
    const { targets: _targets, ...rest } = base;
    const config = { ...rest, subnet: '127.0.61.48/29', routeros: { ...base.routeros, api_port: 19728 } };

    const result = await run(config, new FakeRegistry(['SEC-001-los_cacaos']));

    expect(result.routers.map((r) => [r.host, r.port, r.status])).toEqual([
      ['127.0.61.49', 19728, 'onboarded'],
      ['127.0.61.50', 19728, 'onboarded'],
    ]);
  });
});

describe('onboard with a tunnel', () => {
  it('sets up WireGuard towards the NOC and registers the tunnel address as the management address', async () => {
    lab = await startLab({ host: '127.0.62.61', port: 0, count: 1 });
    const registry = new FakeRegistry(['SEC-001-los_cacaos']);
    const nocKey = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
    const config = labConfig(
      lab.routers,
      `tunnel: {endpoint: "noc.example.net:13231", peer_public_key: "${nocKey}", address: 10.10.0.5/24}\n`,
    );

    const result = await run(config, registry);

    expect(result.routers[0]).toMatchObject({ status: 'onboarded', mgmtIp: '10.10.0.5' });
    const control = lab.control(0);
    const wg = control.rows('/interface/wireguard').find((row) => row['name'] === 'wg-noc');
    expect(wg).toMatchObject({ 'listen-port': '13231' });
    expect(result.routers[0]?.wireguardPublicKey).toBe(wg?.['public-key']);
    expect(result.routers[0]?.wireguardPublicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(control.rows('/interface/wireguard/peers')).toEqual([
      expect.objectContaining({
        interface: 'wg-noc',
        'public-key': nocKey,
        'endpoint-address': 'noc.example.net',
        'endpoint-port': '13231',
        'allowed-address': '127.0.0.1/32',
      }),
    ]);
    expect(control.rows('/ip/address').find((row) => row['interface'] === 'wg-noc')).toMatchObject({
      address: '10.10.0.5/24',
    });
    expect([...registry.devices.values()][0]).toMatchObject({ mgmtIp: '10.10.0.5' });
    expect(renderOnboard(result)).toContain(`add it as a peer at the NOC): ${wg?.['public-key'] ?? ''}`);

    const again = await run(config, registry);
    expect(again.routers[0]?.status).toBe('unchanged');
  });

  it('refuses one tunnel address for several routers', async () => {
    lab = await startLab({ host: '127.0.62.71', port: 0, count: 2 });
    const config = labConfig(
      lab.routers,
      'tunnel: {endpoint: "noc.example.net:13231", peer_public_key: "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=", address: 10.10.0.5/24}\n',
    );
    await expect(run(config, new FakeRegistry(['SEC-001-los_cacaos']))).rejects.toThrow(
      'give each target its tunnel_address',
    );
  });
});

describe('onboard with api-ssl', () => {
  it('gives api-ssl a signed self-signed certificate, limits it to mgmt_subnet and registers it with its fingerprint', async () => {
    lab = await startLab({ host: '127.0.62.81', port: 0, count: 1 });
    const registry = new FakeRegistry(['SEC-001-los_cacaos']);
    const base = labConfig(lab.routers);
    const config = { ...base, routeros: { ...base.routeros, api_ssl: true } };

    const result = await run(config, registry);

    expect(result.routers[0]?.status).toBe('onboarded');
    const control = lab.control(0);
    const certificate = byName(control.rows('/certificate'), 'isp-api-ssl');
    expect(certificate).toMatchObject({ 'private-key': 'true', 'common-name': lab.routers[0]!.address });
    const service = byName(
      control.rows('/ip/service').filter((s) => s['dynamic'] !== 'true'),
      'api-ssl',
    );
    expect(service).toMatchObject({
      certificate: 'isp-api-ssl',
      'available-from': '127.0.0.1/32',
      disabled: 'false',
    });
    expect(result.routers[0]?.apiSslFingerprint).toBe(certificate?.['fingerprint']);
    expect([...registry.devices.values()][0]).toMatchObject({
      apiTls: true,
      apiPort: 8729,
      apiTlsFingerprint: certificate?.['fingerprint'],
    });

    const again = await run(config, registry);
    expect(again.routers[0]?.status).toBe('unchanged');
    expect(control.changes.filter((c) => c.command === '/certificate/sign')).toHaveLength(1);
  });
});

describe('the API after onboarding', () => {
  it('refuses connections from outside mgmt_subnet', async () => {
    lab = await startLab({ host: '127.0.62.51', port: 0, count: 1 });
    await run(labConfig(lab.routers), new FakeRegistry(['SEC-001-los_cacaos']));
    const router = lab.routers[0]!;
    // From 127.0.0.2 (outside 127.0.0.1/32) the router accepts the TCP connection, then closes it
    // without answering the login.
    const answer = await new Promise<string>((resolve) => {
      const socket = net.connect({ host: router.address, port: router.port, localAddress: '127.0.0.2' });
      const received: Buffer[] = [];
      socket.on('connect', () =>
        socket.write(
          encodeSentence(['/login', '=name=odoo_noc', `=password=${SECRETS.mgmtPassword}`, '.tag=1'], 'utf8'),
        ),
      );
      socket.on('data', (chunk: Buffer) => received.push(chunk));
      socket.on('close', () => {
        resolve(Buffer.concat(received).toString('latin1'));
      });
      socket.on('error', () => undefined);
      setTimeout(() => socket.destroy(), 3000);
    });
    expect(answer).not.toContain('!done');
  });
});

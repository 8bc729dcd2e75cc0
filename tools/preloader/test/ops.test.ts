import { describe, expect, it } from 'vitest';

import { parseConfig } from '../src/config';
import { renderKept, renderOp, sameValue } from '../src/onboard/ops';
import { buildPlan, identityFor, MGMT_POLICIES } from '../src/onboard/plan';
import { CONTRACT_EXAMPLE } from './contract-example';

const CONFIG = parseConfig('config.yaml', CONTRACT_EXAMPLE);
const SECRETS = { mgmtPassword: 'pw-secret', odooPassword: 'odoo-secret', macToken: 'token-secret' };

describe('sameValue', () => {
  it('compares as RouterOS normalises', () => {
    expect(sameValue('/ip/service', 'disabled', 'true', 'yes')).toBe(true);
    expect(sameValue('/ip/dhcp-client', 'use-peer-dns', 'false', 'yes')).toBe(false);
    expect(sameValue('/ip/firewall/filter', 'disabled', undefined, 'no')).toBe(true);
    expect(
      sameValue('/user/group', 'policy', 'read,write,api,test,sensitive,!ftp,!policy', MGMT_POLICIES),
    ).toBe(true);
    expect(sameValue('/user/group', 'policy', 'read,write,api,!test', MGMT_POLICIES)).toBe(false);
    expect(sameValue('/ip/service', 'available-from', '10.10.0.0/24', '10.10.0.0/24')).toBe(true);
    expect(sameValue('/user', 'address', '127.0.0.1', '127.0.0.1/32')).toBe(true);
    expect(sameValue('/interface/bridge/port', 'bridge', 'bridge', 'bridge2')).toBe(false);
  });
});

describe('buildPlan', () => {
  const steps = buildPlan(CONFIG, SECRETS, {
    identity: 'SEC-001-los_cacaos-ABC',
    rewriteMgmtPassword: true,
    tunnelAddress: undefined,
  });

  it('runs secure, configure and name, in that order; a tunnel only when configured', () => {
    expect(steps.map((s) => s.name)).toEqual(['secure', 'configure', 'name']);
  });

  it('renders the exact terminal commands, with secrets shown by name only', () => {
    const commands = steps.flatMap((s) => s.ops.map((op) => renderOp(op)));
    expect(commands).toContain('/user group add name=isp-noc policy=api,read,write,test,sensitive');
    expect(commands).toContain(
      '/user add name=odoo_noc group=isp-noc address=10.10.0.0/24 disabled=no password=$MIKROTIK_MGMT_PASS',
    );
    expect(commands).toContain('/ip service set [find name=api] available-from=10.10.0.0/24 disabled=no');
    expect(commands).toContain(
      '/ip firewall filter add chain=input comment="isp-preloader: accept management" action=accept src-address=10.10.0.0/24',
    );
    expect(commands).toContain('/interface bridge port add interface=sfp1 bridge=bridge');
    expect(commands).toContain('/interface bridge port remove [find interface=ether1]');
    expect(commands).toContain('/system identity set name=SEC-001-los_cacaos-ABC');
    expect(commands.join('\n')).toContain('with $ISP_MAC_TOKEN>');
    for (const secret of Object.values(SECRETS)) expect(commands.join('\n')).not.toContain(secret);
    expect(steps.flatMap((s) => s.ops).map((op) => renderKept(op))).toContain(
      '/ip hotspot profile [find name=isp-hotspot] (already as wanted)',
    );
  });

  it('ends the input chain in a drop, after the LAN and management accepts', () => {
    const secure = steps.find((s) => s.name === 'secure');
    const rules = secure?.ops.filter((op) => op.menu === '/ip/firewall/filter') ?? [];
    expect(rules.map((op) => (op.kind === 'ensure' ? op.values['action'] : ''))).toEqual([
      'accept',
      'drop',
      'accept',
      'accept',
      'accept',
      'accept',
      'drop',
    ]);
  });
});

describe('buildPlan: the guide beyond users, services and firewall', () => {
  const commandsOf = (config: typeof CONFIG): string[] =>
    buildPlan(config, SECRETS, { identity: 'x', rewriteMgmtPassword: false, tunnelAddress: undefined })
      .find((s) => s.name === 'secure')
      ?.ops.map((op) => renderOp(op)) ?? [];

  it('turns MAC access off by default and keeps discovery on the LAN list', () => {
    const commands = commandsOf(CONFIG);
    expect(commands).toEqual(
      expect.arrayContaining([
        '/ip ssh set strong-crypto=yes forwarding-enabled=no',
        '/interface list add name=LAN',
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
      ]),
    );
    // The input chain that keeps DNS to the LAN is written before DNS is allowed.
    expect(commands.findIndex((c) => c.includes('drop everything else'))).toBeLessThan(
      commands.indexOf('/ip dns set allow-remote-requests=yes'),
    );
  });

  it('limits MAC access to the LAN list, or turns discovery off, on request', () => {
    const commands = commandsOf({
      ...CONFIG,
      routeros: { ...CONFIG.routeros, mac_access: 'lan', discovery: 'off' },
    });
    expect(commands).toContain('/tool mac-server set allowed-interface-list=LAN');
    expect(commands).toContain('/tool mac-server mac-winbox set allowed-interface-list=LAN');
    expect(commands).toContain('/ip neighbor discovery-settings set discover-interface-list=none');
  });

  it('keeps the LAN bridge in the LAN list and the WAN out of it', () => {
    const configure = buildPlan(CONFIG, SECRETS, {
      identity: 'x',
      rewriteMgmtPassword: false,
      tunnelAddress: undefined,
    })
      .find((s) => s.name === 'configure')
      ?.ops.map((op) => renderOp(op));
    expect(configure).toContain('/interface list member add list=LAN interface=bridge');
    expect(configure).toContain('/interface list member remove [find list=LAN interface=ether1]');
  });
});

describe('identityFor', () => {
  it('fills the pattern', () => {
    expect(identityFor('{sector}-{serial}', { sector: 'SEC-1', serial: 'ABC', n: 2 })).toBe('SEC-1-ABC');
    expect(identityFor('rtr-{n}', { sector: 'SEC-1', serial: 'ABC', n: 2 })).toBe('rtr-2');
  });
});

import { describe, expect, it } from 'vitest';

import type { Caller } from '../../src/menu-engine';
import { SimRouter } from '../../src/sim-router';
import { judgePacket } from '../../src/world/packet-verdict';
import type { Packet } from '../../src/world/packet-verdict';
import { RouterView } from '../../src/world/router-view';

const ADMIN: Caller = {
  user: 'admin',
  policies: new Set(['read', 'write', 'policy', 'sensitive', 'test', 'api']),
};
const LAN_CLIENT = '192.168.88.50';
const WAN_PEER = '100.64.0.9';

/** A factory-default router with an address on its WAN port, as after the Starlink DHCP client. */
function defconfRouter(): {
  router: SimRouter;
  add: (menu: string, values: Record<string, string>) => string;
} {
  const router = new SimRouter({ address: '127.0.0.1', version: '7.20' });
  const add = (menu: string, values: Record<string, string>): string => {
    const table = router.state.table(menu);
    if (table === undefined) throw new Error(`no menu ${menu}`);
    const outcome = router.engine.add(table, values, ADMIN);
    if (outcome.traps !== undefined) throw new Error(outcome.traps[0]?.message);
    return outcome.done?.['ret'] ?? '';
  };
  add('/ip/address', { address: '100.64.0.2/24', interface: 'ether1' });
  return { router, add };
}

function judge(router: SimRouter, packet: Packet): ReturnType<typeof judgePacket> {
  return judgePacket(packet, new RouterView(router.state, router.hosts));
}

function ruleId(router: SimRouter, menu: string, comment: string): string {
  const item = router.state.items(menu).find((candidate) => candidate.values['comment'] === comment);
  return `*${(item?.id ?? -1).toString(16).toUpperCase()}`;
}

describe('judgePacket', () => {
  describe('the defconf firewall', () => {
    it('forwards a LAN client to the internet: no rule matches a new connection, the chain accepts', () => {
      const { router } = defconfRouter();
      expect(judge(router, { src: LAN_CLIENT, dst: '1.1.1.1', protocol: 'tcp', dstPort: 443 })).toEqual({
        verdict: 'accept',
        rule: null,
        chain: 'forward',
        dstnat: null,
        limit: null,
      });
    });

    it('drops a new connection from the WAN that was not dstnatted', () => {
      const { router } = defconfRouter();
      expect(judge(router, { src: WAN_PEER, dst: LAN_CLIENT, protocol: 'tcp', dstPort: 22 })).toMatchObject({
        verdict: 'drop',
        chain: 'forward',
        rule: ruleId(router, '/ip/firewall/filter', 'defconf: drop all from WAN not DSTNATed'),
      });
    });

    it('lets a dstnatted connection from the WAN through (connection-nat-state=dstnat)', () => {
      const { router, add } = defconfRouter();
      add('/ip/firewall/nat', {
        chain: 'dstnat',
        action: 'dst-nat',
        'in-interface-list': 'WAN',
        protocol: 'tcp',
        'dst-port': '8080',
        'to-addresses': '192.168.88.20',
        'to-ports': '80',
      });
      expect(
        judge(router, { src: WAN_PEER, dst: '100.64.0.2', protocol: 'tcp', dstPort: 8080 }),
      ).toMatchObject({
        verdict: 'accept',
        chain: 'forward',
        dstnat: '192.168.88.20:80',
      });
    });

    it('judges traffic to the router itself in the input chain: LAN accepted, WAN dropped, ICMP accepted', () => {
      const { router } = defconfRouter();
      expect(
        judge(router, { src: LAN_CLIENT, dst: '192.168.88.1', protocol: 'udp', dstPort: 53 }),
      ).toMatchObject({
        verdict: 'accept',
        chain: 'input',
        rule: null,
      });
      expect(
        judge(router, { src: WAN_PEER, dst: '100.64.0.2', protocol: 'tcp', dstPort: 8728 }),
      ).toMatchObject({
        verdict: 'drop',
        chain: 'input',
        rule: ruleId(router, '/ip/firewall/filter', 'defconf: drop all not coming from LAN'),
      });
      expect(judge(router, { src: WAN_PEER, dst: '100.64.0.2', protocol: 'icmp' })).toMatchObject({
        verdict: 'accept',
        rule: ruleId(router, '/ip/firewall/filter', 'defconf: accept ICMP'),
      });
    });
  });

  describe('a suspension set-up placed before the defconf rules', () => {
    function suspended(): {
      router: SimRouter;
      add: ReturnType<typeof defconfRouter>['add'];
      reject: string;
    } {
      const { router, add } = defconfRouter();
      const first = ruleId(router, '/ip/firewall/filter', 'defconf: accept in ipsec policy');
      add('/ip/firewall/address-list', { list: 'cut', address: LAN_CLIENT });
      add('/ip/firewall/address-list', { list: 'garden', address: '203.0.113.10' });
      add('/ip/firewall/filter', {
        chain: 'forward',
        'src-address-list': 'cut',
        action: 'jump',
        'jump-target': 'cut-rules',
        'place-before': first,
      });
      add('/ip/firewall/filter', { chain: 'cut-rules', protocol: 'udp', 'dst-port': '53', action: 'accept' });
      add('/ip/firewall/filter', { chain: 'cut-rules', 'dst-address-list': 'garden', action: 'accept' });
      const reject = add('/ip/firewall/filter', {
        chain: 'cut-rules',
        action: 'reject',
        'reject-with': 'icmp-admin-prohibited',
      });
      add('/ip/firewall/nat', {
        chain: 'dstnat',
        'src-address-list': 'cut',
        protocol: 'tcp',
        'dst-port': '80',
        action: 'dst-nat',
        'to-addresses': '203.0.113.10',
        'to-ports': '8080',
      });
      return { router, add, reject };
    }

    it('rejects a listed client, lets DNS and the walled garden through and sends plain HTTP to the notice server', () => {
      const { router, reject } = suspended();
      expect(judge(router, { src: LAN_CLIENT, dst: '1.1.1.1', protocol: 'tcp', dstPort: 443 })).toMatchObject(
        {
          verdict: 'reject',
          rule: reject,
        },
      );
      expect(judge(router, { src: LAN_CLIENT, dst: '1.1.1.1', protocol: 'udp', dstPort: 53 }).verdict).toBe(
        'accept',
      );
      expect(
        judge(router, { src: LAN_CLIENT, dst: '203.0.113.10', protocol: 'tcp', dstPort: 443 }).verdict,
      ).toBe('accept');
      expect(
        judge(router, { src: LAN_CLIENT, dst: '93.184.216.34', protocol: 'tcp', dstPort: 80 }),
      ).toMatchObject({
        verdict: 'accept',
        dstnat: '203.0.113.10:8080',
      });
      expect(
        judge(router, { src: '192.168.88.51', dst: '1.1.1.1', protocol: 'tcp', dstPort: 443 }).verdict,
      ).toBe('accept');
    });

    it('ignores disabled rules and disabled list entries', () => {
      const { router } = suspended();
      const entry = router.state
        .items('/ip/firewall/address-list')
        .find((item) => item.values['list'] === 'cut');
      if (entry === undefined) throw new Error('no entry');
      entry.values['disabled'] = 'true';
      expect(judge(router, { src: LAN_CLIENT, dst: '1.1.1.1', protocol: 'tcp', dstPort: 443 }).verdict).toBe(
        'accept',
      );
    });

    it('comes back from a chain that ends without a decision (an implicit return)', () => {
      const { router, add } = defconfRouter();
      add('/ip/firewall/filter', { chain: 'forward', action: 'jump', 'jump-target': 'inner' });
      add('/ip/firewall/filter', { chain: 'inner', 'dst-address': '10.0.0.0/8', action: 'drop' });
      const after = add('/ip/firewall/filter', {
        chain: 'forward',
        'dst-address': '1.1.1.1',
        action: 'reject',
      });
      expect(judge(router, { src: LAN_CLIENT, dst: '1.1.1.1', protocol: 'tcp', dstPort: 443 })).toMatchObject(
        {
          verdict: 'reject',
          rule: after,
        },
      );
    });

    it('matches DNS names in address lists by what they resolve to', () => {
      const { router, add } = defconfRouter();
      add('/ip/firewall/address-list', { list: 'garden', address: 'portal.example.net' });
      add('/ip/firewall/filter', { chain: 'forward', 'dst-address-list': 'garden', action: 'drop' });
      const packet: Packet = { src: LAN_CLIENT, dst: '198.51.100.7', protocol: 'tcp', dstPort: 443 };
      expect(judge(router, packet).verdict).toBe('accept');
      router.hosts.set('portal.example.net', ['198.51.100.7']);
      expect(judge(router, packet).verdict).toBe('drop');
    });
  });

  describe('matchers', () => {
    it('negates with !, matches prefixes, ranges and port lists', () => {
      const { router, add } = defconfRouter();
      const drop = add('/ip/firewall/filter', {
        chain: 'forward',
        'src-address': '192.168.88.40-192.168.88.60',
        'dst-address': '!10.0.0.0/8',
        protocol: 'tcp',
        'dst-port': '25,465-587',
        action: 'drop',
      });
      expect(judge(router, { src: LAN_CLIENT, dst: '1.1.1.1', protocol: 'tcp', dstPort: 500 }).rule).toBe(
        drop,
      );
      expect(
        judge(router, { src: LAN_CLIENT, dst: '10.1.1.1', protocol: 'tcp', dstPort: 500 }).rule,
      ).toBeNull();
      expect(
        judge(router, { src: LAN_CLIENT, dst: '1.1.1.1', protocol: 'tcp', dstPort: 443 }).rule,
      ).toBeNull();
      expect(
        judge(router, { src: '192.168.88.61', dst: '1.1.1.1', protocol: 'tcp', dstPort: 25 }).rule,
      ).toBeNull();
      expect(judge(router, { src: LAN_CLIENT, dst: '1.1.1.1', protocol: 'icmp' }).rule).toBeNull();
    });

    it('says the verdict is unknown when a rule on the path uses a matcher it does not judge', () => {
      const { router, add } = defconfRouter();
      const id = add('/ip/firewall/filter', { chain: 'forward', 'out-interface': 'ether1', action: 'drop' });
      expect(judge(router, { src: LAN_CLIENT, dst: '1.1.1.1', protocol: 'tcp', dstPort: 443 })).toMatchObject(
        {
          verdict: 'unknown',
          unsupported: `matcher out-interface of rule ${id}`,
        },
      );
    });
  });

  describe('shaping', () => {
    it('takes the first enabled simple queue whose target holds the client, in list order', () => {
      const { router, add } = defconfRouter();
      add('/queue/simple', {
        name: 'off',
        target: `${LAN_CLIENT}/32`,
        'max-limit': '1M/1M',
        disabled: 'yes',
      });
      add('/queue/simple', { name: 'cust', target: `${LAN_CLIENT}/32`, 'max-limit': '5M/20M' });
      add('/queue/simple', { name: 'lan', target: '192.168.88.0/24', 'max-limit': '100M/100M' });
      expect(judge(router, { src: LAN_CLIENT, dst: '1.1.1.1', protocol: 'udp', dstPort: 53 }).limit).toBe(
        '5M/20M',
      );
      expect(
        judge(router, { src: '192.168.88.51', dst: '1.1.1.1', protocol: 'udp', dstPort: 53 }).limit,
      ).toBe('100M/100M');
    });
  });
});

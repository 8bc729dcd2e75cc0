import { parsePrefix } from '@isp/routeros';

import type { MenuContext, SimItem } from '../schema';
import { addressIn } from './address-match';

/** The parts of a router's configuration that decide where a packet comes from and goes to. */
export class RouterView {
  constructor(
    private readonly state: MenuContext,
    /** What DNS names in address lists resolve to (a real router resolves them itself). */
    private readonly hosts: ReadonlyMap<string, readonly string[]> = new Map(),
  ) {}

  enabled(menu: string): SimItem[] {
    return this.state.items(menu).filter((item) => item.values['disabled'] !== 'true');
  }

  /** The interface a packet from `address` arrives on: its PPP session's, else the connected network's. */
  interfaceOf(address: string): string | undefined {
    const session = this.state.items('/ppp/active').find((item) => item.values['address'] === address);
    if (session !== undefined) return `<pppoe-${session.values['name'] ?? ''}>`;
    const connected = this.enabled('/ip/address').find((item) => {
      const prefix = parsePrefix(item.values['address'] ?? '');
      return prefix !== undefined && prefix.length < 32 && addressIn(address, item.values['address'] ?? '');
    });
    return connected?.values['interface'];
  }

  /** Whether `address` is one of the router's own addresses (traffic to it goes to the input chain). */
  isOwnAddress(address: string): boolean {
    return this.enabled('/ip/address').some((item) => item.values['address']?.split('/')[0] === address);
  }

  /** The router's first address on `iface` (where `redirect` sends a connection). */
  addressOn(iface: string): string | undefined {
    return this.enabled('/ip/address')
      .find((item) => item.values['interface'] === iface)
      ?.values['address']?.split('/')[0];
  }

  /** Interface-list membership, with the built-in lists and `include`/`exclude`. */
  inList(iface: string | undefined, list: string, seen: ReadonlySet<string> = new Set()): boolean {
    if (iface === undefined || seen.has(list)) return false;
    const dynamic =
      this.state.items('/interface').find((item) => item.values['name'] === iface)?.dynamic === true;
    switch (list) {
      case 'all':
        return true;
      case 'none':
        return false;
      case 'dynamic':
        return dynamic;
      case 'static':
        return !dynamic;
    }
    const entry = this.state.items('/interface/list').find((item) => item.values['name'] === list);
    if (entry === undefined) return false;
    const next = new Set([...seen, list]);
    const names = (key: string): string[] => (entry.values[key] ?? '').split(',').filter(Boolean);
    if (names('exclude').some((other) => this.inList(iface, other, next))) return false;
    const member = this.enabled('/interface/list/member').some(
      (item) => item.values['list'] === list && item.values['interface'] === iface,
    );
    return member || names('include').some((other) => this.inList(iface, other, next));
  }

  /** Whether `address` is in the firewall address list `list` (enabled entries; DNS names as resolved). */
  listHas(list: string, address: string): boolean {
    return this.enabled('/ip/firewall/address-list').some((item) => {
      if (item.values['list'] !== list) return false;
      const value = item.values['address'] ?? '';
      const resolved = this.hosts.get(value);
      return resolved === undefined ? addressIn(address, value) : resolved.includes(address);
    });
  }

  /** The MAC of the client holding `address` (its bound DHCP lease or PPP session), if known. */
  macOf(address: string): string | undefined {
    const lease = this.state
      .items('/ip/dhcp-server/lease')
      .find((item) => item.values['active-address'] === address);
    if (lease !== undefined) return lease.values['active-mac-address'];
    return this.state.items('/ppp/active').find((item) => item.values['address'] === address)?.values[
      'caller-id'
    ];
  }
}

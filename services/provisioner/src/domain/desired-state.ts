import type { DesiredItem } from '@isp/routeros';
import type { SubscriptionSnapshot } from './subscription-snapshot';

/** The address list suspended customers are put in (the router's firewall rules act on it). */
export const SUSPENDED_LIST = 'isp-suspended';

/** The menus a subscription can own objects in, in the order they are applied. */
export const SUBSCRIPTION_MENUS = [
  '/ip/dhcp-server/lease',
  '/ppp/secret',
  '/queue/simple',
  '/ip/firewall/address-list',
] as const;
export type SubscriptionMenu = (typeof SUBSCRIPTION_MENUS)[number];

export interface DesiredRouterState {
  /** The comment every owned object carries, and by which the system recognises it. */
  readonly owner: string;
  readonly menus: ReadonlyMap<SubscriptionMenu, readonly DesiredItem[]>;
  /** PPPoE session name to disconnect after the secret changed (suspension, plan change). */
  readonly kickPppSession?: string;
}

export function ownerTag(subscriptionName: string): string {
  return `isp:${subscriptionName}`;
}

/** RouterOS simple-queue names are unique per router; derive one from the subscription name. */
export function queueName(subscriptionName: string): string {
  return `isp-${subscriptionName.replace(/[^A-Za-z0-9._-]+/g, '-')}`;
}

function rateLimit(plan: SubscriptionSnapshot['plan']): string {
  // RouterOS writes upload (the target's upload) first: max-limit=<up>/<down>.
  return `${plan.upMbps}M/${plan.downMbps}M`;
}

/**
 * The router objects one subscription should own — the contract's "What the router looks like":
 * a DHCP lease or a PPPoE secret, a simple queue at the plan's speed on the client address, and
 * for a suspended subscription the address in `isp-suspended` (and its PPPoE secret disabled).
 * Draft and terminated subscriptions own nothing. Pure: the same snapshot gives the same state.
 */
export function desiredRouterState(sub: SubscriptionSnapshot): DesiredRouterState {
  const owner = ownerTag(sub.name);
  const menus = new Map<SubscriptionMenu, DesiredItem[]>(SUBSCRIPTION_MENUS.map((m) => [m, []]));
  const live = sub.state === 'active' || sub.state === 'suspended';
  if (!live) return { owner, menus };

  const suspended = sub.state === 'suspended';
  if (sub.authMethod === 'dhcp' && sub.serviceMac !== undefined) {
    const pinned = sub.dhcpMode === 'static' && sub.serviceIp !== undefined;
    menus.set('/ip/dhcp-server/lease', [
      { 'mac-address': sub.serviceMac, address: pinned ? (sub.serviceIp ?? '') : '0.0.0.0', comment: owner },
    ]);
  }
  if (sub.authMethod === 'pppoe' && sub.pppoeUsername !== undefined) {
    const secret: Record<string, string> = {
      name: sub.pppoeUsername,
      password: sub.pppoePassword ?? '',
      service: 'pppoe',
      disabled: suspended ? 'yes' : 'no',
      comment: owner,
    };
    if (sub.serviceIp !== undefined) secret['remote-address'] = sub.serviceIp;
    menus.set('/ppp/secret', [secret]);
  }
  if (sub.clientAddress !== undefined) {
    menus.set('/queue/simple', [
      {
        name: queueName(sub.name),
        target: sub.clientAddress,
        'max-limit': rateLimit(sub.plan),
        comment: owner,
      },
    ]);
    if (suspended) {
      menus.set('/ip/firewall/address-list', [
        { list: SUSPENDED_LIST, address: sub.clientAddress, comment: owner },
      ]);
    }
  }
  const kick = suspended && sub.authMethod === 'pppoe' ? sub.pppoeUsername : undefined;
  return kick === undefined ? { owner, menus } : { owner, menus, kickPppSession: kick };
}

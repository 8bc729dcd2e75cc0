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
  /** Why the router cannot do what Odoo says for this subscription (the job must not succeed). */
  readonly problem?: string;
  /** What a person should know although the job succeeded: a result code Odoo words (see `ResultNote`). */
  readonly note?: ResultNote;
}

/**
 * Codes of what a person should know of a job that succeeded (Odoo's `RESULT_NOTES` words them):
 * `cut_at_next_lease`, a customer not online is cut from the first packet of its next connection.
 */
export type ResultNote = 'cut_at_next_lease';

export function ownerTag(subscriptionName: string): string {
  return `isp:${subscriptionName}`;
}

/** RouterOS simple-queue names are unique per router; derive one from the subscription name. */
export function queueName(subscriptionName: string): string {
  return `isp-${subscriptionName.replace(/[^A-Za-z0-9._-]+/g, '-')}`;
}

function rateLimit(plan: SubscriptionSnapshot['plan']): string {
  // RouterOS writes upload (the target's upload, the client's rx) first: <up>/<down>.
  return `${plan.upMbps}M/${plan.downMbps}M`;
}

/** The `/ppp/profile` of a plan's speed, shared by every PPPoE customer of that speed on a router. */
export function pppProfileName(plan: SubscriptionSnapshot['plan']): string {
  return `isp-${plan.upMbps}M-${plan.downMbps}M`;
}

/** The PPP profile a plan needs, carrying the addressing of the router's `default` profile. */
export function pppProfile(
  plan: SubscriptionSnapshot['plan'],
  addressing: Readonly<Record<string, string>>,
): DesiredItem {
  return {
    name: pppProfileName(plan),
    'rate-limit': rateLimit(plan),
    ...addressing,
    comment: PPP_PROFILE_COMMENT,
  };
}

/** Comment of the plan profiles (router-wide objects: `isp:@…`). */
export const PPP_PROFILE_COMMENT = 'isp:@ppp-plan';

/**
 * The router objects one subscription should own on router `deviceId` — the contract's "What the
 * router looks like":
 * - dynamic DHCP: a lease for the MAC taking the server's pool (`0.0.0.0`) whose `rate-limit`
 *   shapes the client from its first lease and whatever address it gets, and whose
 *   `address-lists` put it in `isp-suspended` from its next lease when suspended;
 * - static DHCP: a lease pinned to the address and a simple queue on it;
 * - PPPoE: a secret on the plan's profile (whose `rate-limit` shapes every session), disabled
 *   when suspended, pinned to the fixed address when there is one;
 * - suspended: the client's current address in `isp-suspended` (cut now, not at the next lease).
 * Draft and terminated subscriptions, and those of another router (moved), own nothing here.
 * Pure: the same snapshot gives the same state.
 */
export function desiredRouterState(sub: SubscriptionSnapshot, deviceId?: number): DesiredRouterState {
  const owner = ownerTag(sub.name);
  const menus = new Map<SubscriptionMenu, DesiredItem[]>(SUBSCRIPTION_MENUS.map((m) => [m, []]));
  const here = deviceId === undefined || sub.deviceId === deviceId;
  const live = here && (sub.state === 'active' || sub.state === 'suspended');
  if (!live) return { owner, menus };

  const suspended = sub.state === 'suspended';
  const pinned = sub.authMethod === 'dhcp' && sub.dhcpMode === 'static' && sub.serviceIp !== undefined;
  if (sub.authMethod === 'dhcp' && sub.serviceMac !== undefined) {
    menus.set('/ip/dhcp-server/lease', [
      pinned
        ? { 'mac-address': sub.serviceMac, address: sub.serviceIp ?? '', comment: owner }
        : {
            'mac-address': sub.serviceMac,
            address: '0.0.0.0',
            'rate-limit': rateLimit(sub.plan),
            'address-lists': suspended ? SUSPENDED_LIST : '',
            comment: owner,
          },
    ]);
  }
  if (sub.authMethod === 'pppoe' && sub.pppoeUsername !== undefined) {
    const secret: Record<string, string> = {
      name: sub.pppoeUsername,
      password: sub.pppoePassword ?? '',
      service: 'pppoe',
      profile: pppProfileName(sub.plan),
      disabled: suspended ? 'yes' : 'no',
      comment: owner,
    };
    if (sub.serviceIp !== undefined) secret['remote-address'] = sub.serviceIp;
    menus.set('/ppp/secret', [secret]);
  }
  if (pinned) {
    menus.set('/queue/simple', [
      { name: queueName(sub.name), target: sub.serviceIp, 'max-limit': rateLimit(sub.plan), comment: owner },
    ]);
  }
  if (suspended && sub.clientAddress !== undefined) {
    menus.set('/ip/firewall/address-list', [
      { list: SUSPENDED_LIST, address: sub.clientAddress, comment: owner },
    ]);
  }
  const kick = suspended && sub.authMethod === 'pppoe' ? sub.pppoeUsername : undefined;
  return {
    owner,
    menus,
    ...(kick === undefined ? {} : { kickPppSession: kick }),
    ...explanation(sub, suspended),
  };
}

/** Says, in words, when the router cannot hold the subscription's state, or when it takes effect later. */
function explanation(
  sub: SubscriptionSnapshot,
  suspended: boolean,
): Pick<DesiredRouterState, 'problem' | 'note'> {
  if (sub.authMethod === 'dhcp' && sub.serviceMac === undefined)
    return {
      problem:
        'no service MAC: nothing on the router identifies this customer, so the router cannot apply its state',
    };
  if (sub.authMethod === 'pppoe' && sub.pppoeUsername === undefined)
    return { problem: 'no PPPoE username: the router has no account to apply this state to' };
  if (
    suspended &&
    sub.authMethod === 'dhcp' &&
    !(sub.dhcpMode === 'static' && sub.serviceIp !== undefined) &&
    sub.clientAddress === undefined
  )
    return { note: 'cut_at_next_lease' };
  return {};
}

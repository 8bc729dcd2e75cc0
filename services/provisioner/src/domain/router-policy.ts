import type { DesiredItem } from '@isp/routeros';

import { SUSPENDED_LIST } from './desired-state';

/** What Odoo says a router should hold besides its subscriptions (`sidecar_router_policy`). */
export interface RouterPolicy {
  /** `address:port` of the web server that tells suspended customers why and how to pay. */
  readonly suspendedRedirect: { readonly address: string; readonly port: number } | undefined;
  /** Hosts suspended customers may still reach (the portal, the payment pages). */
  readonly walledGarden: readonly string[];
}

/** Comments of router-wide objects: `isp:@…`, never a subscription's `isp:<name>`. */
export const ROUTER_WIDE_PREFIX = 'isp:@';
export const WALLED_GARDEN_LIST = 'isp-walled-garden';
/** The filter chain suspended customers' new connections are sent through. */
export const SUSPENDED_CHAIN = 'isp-suspended';

const tag = (name: string): string => `${ROUTER_WIDE_PREFIX}${name}`;
export const JUMP_COMMENT = tag('suspended-jump');
export const WALLED_GARDEN_COMMENT = tag('walled-garden');

/** The rule that sends suspended customers to {@link SUSPENDED_CHAIN}: first in `forward`, so that even
 * their established connections (fasttracked or accepted by later rules) are cut. */
export const SUSPENDED_JUMP: DesiredItem = {
  chain: 'forward',
  'src-address-list': SUSPENDED_LIST,
  action: 'jump',
  'jump-target': SUSPENDED_CHAIN,
  comment: JUMP_COMMENT,
};

export interface DesiredPolicy {
  /** The rules of {@link SUSPENDED_CHAIN}, in order: DNS, the walled garden, then reject. */
  readonly chain: readonly DesiredItem[];
  /** `dstnat` rule sending suspended customers' plain HTTP to the notice server (none without one). */
  readonly nat: readonly DesiredItem[];
  readonly walledGarden: readonly DesiredItem[];
  /** The same hosts in the hotspot's walled garden, reachable before a hotspot login. */
  readonly hotspotWalledGarden: readonly DesiredItem[];
}

/**
 * The router-wide objects that make the `isp-suspended` list bite: suspended customers reach DNS
 * and the walled garden (which includes the notice server), their plain HTTP goes to the notice
 * server, and the rest is rejected (icmp-admin-prohibited, so their devices give up at once).
 */
export function desiredPolicy(policy: RouterPolicy): DesiredPolicy {
  const garden = [
    ...new Set([
      ...policy.walledGarden,
      ...(policy.suspendedRedirect === undefined ? [] : [policy.suspendedRedirect.address]),
    ]),
  ];
  const chain: DesiredItem[] = [
    {
      chain: SUSPENDED_CHAIN,
      protocol: 'udp',
      'dst-port': '53',
      action: 'accept',
      comment: tag('suspended-dns-udp'),
    },
    {
      chain: SUSPENDED_CHAIN,
      protocol: 'tcp',
      'dst-port': '53',
      action: 'accept',
      comment: tag('suspended-dns-tcp'),
    },
    {
      chain: SUSPENDED_CHAIN,
      'dst-address-list': WALLED_GARDEN_LIST,
      action: 'accept',
      comment: tag('suspended-walled-garden'),
    },
    {
      chain: SUSPENDED_CHAIN,
      action: 'reject',
      'reject-with': 'icmp-admin-prohibited',
      comment: tag('suspended-reject'),
    },
  ];
  const redirect = policy.suspendedRedirect;
  const nat: DesiredItem[] =
    redirect === undefined
      ? []
      : [
          {
            chain: 'dstnat',
            'src-address-list': SUSPENDED_LIST,
            protocol: 'tcp',
            'dst-port': '80',
            action: 'dst-nat',
            'to-addresses': redirect.address,
            'to-ports': String(redirect.port),
            comment: tag('suspended-redirect'),
          },
        ];
  return {
    chain,
    nat,
    walledGarden: garden.map((address) => ({
      list: WALLED_GARDEN_LIST,
      address,
      comment: WALLED_GARDEN_COMMENT,
    })),
    hotspotWalledGarden: policy.walledGarden.map((host) => ({
      'dst-host': host,
      action: 'allow',
      comment: WALLED_GARDEN_COMMENT,
    })),
  };
}

import { formatId } from '../router-state';
import type { MenuMutator, SimItem } from '../schema';
import { clearDynamics, setDynamics, splitNames } from './dynamic-objects';

export interface HotspotLogin {
  readonly user: string;
  readonly password: string;
  readonly mac: string;
}

export type HotspotRefusal = 'authentication-failed' | 'no-address' | 'shared-users';
export type HotspotResult =
  { readonly id: string; readonly address: string } | { readonly refused: HotspotRefusal };

const ACTIVE = '/ip/hotspot/active';
const sessionOwner = (session: SimItem): string => `hotspot:${session.id}`;

/**
 * A client of the hotspot logs in: its user must exist, be enabled, have that password and, when
 * the user is bound to a MAC, come from it; the client needs an address (a bound DHCP lease).
 * The user profile's `shared-users` caps concurrent logins, its `rate-limit` becomes a dynamic
 * queue and its `address-list` holds the client while logged in.
 */
export function loginHotspot(state: MenuMutator, login: HotspotLogin): HotspotResult {
  const mac = login.mac.toUpperCase();
  const user = state
    .items('/ip/hotspot/user')
    .find((item) => item.values['name'] === login.user && item.values['disabled'] !== 'true');
  const boundMac = user?.values['mac-address'];
  if (
    user === undefined ||
    (user.values['password'] ?? '') !== login.password ||
    (boundMac !== undefined && boundMac !== mac)
  )
    return { refused: 'authentication-failed' };
  const profile = state
    .items('/ip/hotspot/user/profile')
    .find((item) => item.values['name'] === (user.values['profile'] ?? 'default'));
  const shared = Number(profile?.values['shared-users'] ?? '1');
  const logged = state.items(ACTIVE).filter((item) => item.values['user'] === login.user).length;
  if (Number.isFinite(shared) && logged >= shared) return { refused: 'shared-users' };
  const address =
    user.values['address'] ??
    state
      .items('/ip/dhcp-server/lease')
      .find((item) => item.values['active-mac-address'] === mac && item.values['status'] === 'bound')?.values[
      'active-address'
    ];
  if (address === undefined) return { refused: 'no-address' };
  const server = state.items('/ip/hotspot')[0]?.values['name'] ?? 'hotspot1';
  const session = state.insert(
    ACTIVE,
    { server, user: login.user, address, 'mac-address': mac },
    { dynamic: true },
  );
  setDynamics(state, sessionOwner(session), {
    address,
    lists: splitNames(profile?.values['address-list']),
    queueName: `<hotspot-${login.user}>`,
    rateLimit: profile?.values['rate-limit'],
  });
  return { id: formatId(session.id), address };
}

export function endHotspotSession(state: MenuMutator, session: SimItem): void {
  clearDynamics(state, sessionOwner(session));
}

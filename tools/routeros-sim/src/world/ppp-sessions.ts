import { ipv4ToNumber, isIpv4, numberToIpv4 } from '@isp/routeros';

import { formatId } from '../router-state';
import type { MenuMutator, SimItem } from '../schema';
import { clearDynamics, setDynamics, splitNames } from './dynamic-objects';

export interface PppDialIn {
  readonly name: string;
  readonly password: string;
  /** The client's MAC (the session's `caller-id`). */
  readonly mac?: string;
}

export type PppRefusal = 'authentication-failed' | 'no-address' | 'only-one';
export type PppResult = { readonly id: string; readonly address: string } | { readonly refused: PppRefusal };

const ACTIVE = '/ppp/active';
const sessionOwner = (session: SimItem): string => `ppp:${session.id}`;

/** A free address of pool `name` (skipping addresses of live sessions), or undefined. */
function fromPool(state: MenuMutator, name: string): string | undefined {
  const pool = state.items('/ip/pool').find((item) => item.values['name'] === name);
  if (pool === undefined) return undefined;
  const used = new Set(state.items(ACTIVE).map((item) => item.values['address']));
  for (const range of (pool.values['ranges'] ?? '').split(',')) {
    const [from = '', to = from] = range.split('-');
    if (!isIpv4(from) || !isIpv4(to)) continue;
    for (let n = ipv4ToNumber(from); n <= ipv4ToNumber(to); n++) {
      if (!used.has(numberToIpv4(n))) return numberToIpv4(n);
    }
  }
  return undefined;
}

/**
 * A PPPoE client dials in against `/ppp/secret`: a disabled or unknown secret, a wrong password or
 * a secret for another service fail authentication. The address is the secret's `remote-address`,
 * else its profile's (an address or a pool). A profile setting left empty is not taken from the
 * `default` profile. The profile's `rate-limit` becomes a dynamic queue and its `address-list`
 * holds the address while the session lasts.
 */
export function connectPpp(state: MenuMutator, dial: PppDialIn): PppResult {
  const secret = state
    .items('/ppp/secret')
    .find((item) => item.values['name'] === dial.name && item.values['disabled'] !== 'true');
  const service = secret?.values['service'] ?? 'any';
  if (
    secret === undefined ||
    (secret.values['password'] ?? '') !== dial.password ||
    !['any', 'pppoe'].includes(service)
  )
    return { refused: 'authentication-failed' };
  const profileName = secret.values['profile'] ?? 'default';
  const profile = state.items('/ppp/profile').find((item) => item.values['name'] === profileName);
  if (
    profile?.values['only-one'] === 'yes' &&
    state.items(ACTIVE).some((item) => item.values['name'] === dial.name)
  )
    return { refused: 'only-one' };
  const remote = secret.values['remote-address'] ?? profile?.values['remote-address'];
  const address = remote === undefined ? undefined : isIpv4(remote) ? remote : fromPool(state, remote);
  if (address === undefined) return { refused: 'no-address' };
  const session = state.insert(
    ACTIVE,
    {
      name: dial.name,
      service: 'pppoe',
      'caller-id': dial.mac?.toUpperCase() ?? '',
      address,
      'session-id': `0x${(0x81000000 + state.items(ACTIVE).length).toString(16).toUpperCase()}`,
    },
    { dynamic: true },
  );
  const iface = `<pppoe-${dial.name}>`;
  state.insert('/interface', { name: iface, type: 'pppoe-in' }, { dynamic: true });
  setDynamics(state, sessionOwner(session), {
    address,
    lists: splitNames(profile?.values['address-list']),
    queueName: iface,
    rateLimit: profile?.values['rate-limit'],
  });
  return { id: formatId(session.id), address };
}

/** What ends with a session, however it ends (client hang-up, `/ppp/active/remove`). */
export function endPppSession(state: MenuMutator, session: SimItem): void {
  clearDynamics(state, sessionOwner(session));
  const iface = state
    .items('/interface')
    .find(
      (item) => item.dynamic === true && item.values['name'] === `<pppoe-${session.values['name'] ?? ''}>`,
    );
  if (iface !== undefined) state.delete('/interface', iface);
}

/** The client hangs up: its sessions end. False when it had none. */
export function disconnectPpp(state: MenuMutator, name: string): boolean {
  const sessions = state.items(ACTIVE).filter((item) => item.values['name'] === name);
  for (const session of sessions) {
    state.delete(ACTIVE, session);
    endPppSession(state, session);
  }
  return sessions.length > 0;
}

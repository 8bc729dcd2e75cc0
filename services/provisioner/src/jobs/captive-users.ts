import { ensureMenu, type DesiredItem, type RouterClient } from '@isp/routeros';
import type { CaptiveUser } from '../adapters/provisioner-odoo';
import { ownerTag } from '../domain/desired-state';

const HOTSPOT_USERS = '/ip/hotspot/user';
const MARK = ' hotspot:';

/** `isp:<subscription> hotspot:<login>` (or `isp:hotspot:<login>` without a subscription). */
export function captiveComment(user: CaptiveUser): string {
  return user.subscriptionName === undefined
    ? `isp:hotspot:${user.login}`
    : `${ownerTag(user.subscriptionName)}${MARK}${user.login}`;
}

function loginOf(comment: string): string | undefined {
  if (comment.startsWith('isp:hotspot:')) return comment.slice('isp:hotspot:'.length);
  const at = comment.indexOf(MARK);
  return comment.startsWith('isp:') && at !== -1 ? comment.slice(at + MARK.length) : undefined;
}

export interface CaptiveOutcome {
  /** Error per captive user id, for the users the router refused. */
  readonly failures: ReadonlyMap<number, string>;
  readonly before: readonly Readonly<Record<string, string>>[];
}

/** What a hotspot user should be on the router. */
export type CaptiveAction = 'enable' | 'disable' | 'remove';

const MIB = 1_048_576;

/** Brings the hotspot users of `users` to their desired state (enabled, disabled, or gone) in one ensure. */
export async function applyCaptiveUsers(
  client: RouterClient,
  users: readonly { readonly user: CaptiveUser; readonly action: CaptiveAction }[],
  options: { readonly dryRun: boolean; readonly timeoutMs?: number; readonly signal?: AbortSignal },
): Promise<CaptiveOutcome> {
  const logins = new Map(users.map(({ user }) => [user.login, user.id]));
  const desired: DesiredItem[] = users.flatMap(({ user, action }) => {
    if (action === 'remove') return [];
    const item: Record<string, string> = {
      name: user.login,
      password: user.password,
      profile: user.profile,
      disabled: action === 'disable' ? 'yes' : 'no',
      comment: captiveComment(user),
    };
    if (user.macAddress !== undefined) item['mac-address'] = user.macAddress;
    if (user.limitUptimeHours > 0) item['limit-uptime'] = `${user.limitUptimeHours}h`;
    if (user.limitBytesMb > 0) item['limit-bytes-total'] = String(user.limitBytesMb * MIB);
    return [item];
  });
  const result = await ensureMenu(
    client,
    HOTSPOT_USERS,
    (comment) => {
      const login = loginOf(comment);
      return login !== undefined && logins.has(login);
    },
    desired,
    {
      key: ['name'],
      dryRun: options.dryRun,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    },
  );
  const failures = new Map<number, string>();
  for (const failure of result.failures) {
    const change = failure.change;
    const name =
      change.action === 'add'
        ? change.attributes['name']
        : result.owned.find((r) => r['.id'] === change.id)?.['name'];
    const id = name === undefined ? undefined : logins.get(name);
    if (id !== undefined) failures.set(id, failure.error.message);
  }
  return { failures, before: result.owned };
}

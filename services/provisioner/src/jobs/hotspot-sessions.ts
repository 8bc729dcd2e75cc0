import { isRouterOsError, parseDuration, type RouterClient } from '@isp/routeros';
import type { HotspotSession } from '../adapters/provisioner-odoo';

const count = (value: string | undefined): number => {
  const n = Number(value ?? '0');
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0;
};

/**
 * The router's `/ip/hotspot/active`, as Odoo's session mirror takes it. A router without the
 * hotspot menu has no sessions.
 */
export async function readHotspotSessions(
  client: RouterClient,
  timeoutMs?: number,
): Promise<HotspotSession[]> {
  const rows = await client
    .print('/ip/hotspot/active', {
      proplist: ['.id', 'user', 'address', 'mac-address', 'uptime', 'bytes-in', 'bytes-out'],
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    })
    .catch((err: unknown) => {
      if (isRouterOsError(err, 'ISP_ERR_ROUTEROS_NO_SUCH_COMMAND')) return [];
      throw err;
    });
  return rows.flatMap((row) => {
    const id = row['.id'];
    const user = row['user'];
    if (id === undefined || user === undefined || user === '') return [];
    return [
      {
        router_id: id,
        user,
        ip_address: row['address'] ?? '',
        mac_address: row['mac-address'] ?? '',
        uptime_seconds: Math.floor(parseDuration(row['uptime'] ?? '0s') ?? 0),
        bytes_in: count(row['bytes-in']),
        bytes_out: count(row['bytes-out']),
      },
    ];
  });
}

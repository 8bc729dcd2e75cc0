import { isRouterOsError, type RouterClient } from '@isp/routeros';
import type { DeviceStatus } from '../adapters/provisioner-odoo';

/**
 * Reads what Odoo shows of a router: identity, RouterOS version, board and serial. CHR and x86
 * have no `/system/routerboard` menu; its absence is not an error.
 */
export async function readRouterHealth(client: RouterClient, timeoutMs?: number): Promise<DeviceStatus> {
  const timeout = timeoutMs === undefined ? {} : { timeoutMs };
  const [identity, resource, routerboard] = await Promise.all([
    client.print('/system/identity', timeout),
    client.print('/system/resource', { proplist: ['version', 'board-name'], ...timeout }),
    client.print('/system/routerboard', { proplist: ['serial-number'], ...timeout }).catch((err: unknown) => {
      if (isRouterOsError(err, 'ISP_ERR_ROUTEROS_NO_SUCH_COMMAND')) return [];
      throw err;
    }),
  ]);
  const status: { -readonly [K in keyof DeviceStatus]: DeviceStatus[K] } = { status: 'online' };
  const name = identity[0]?.['name'];
  const version = resource[0]?.['version'];
  const board = resource[0]?.['board-name'];
  const serial = routerboard[0]?.['serial-number'];
  if (name !== undefined) status.identity = name;
  if (version !== undefined) status.routeros_version = version;
  if (board !== undefined) status.board_name = board;
  if (serial !== undefined) status.serial = serial;
  return status;
}

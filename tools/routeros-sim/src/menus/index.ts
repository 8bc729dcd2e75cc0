import type { MenuSpec } from '../schema';

import { dhcpMenus } from './dhcp.menus';
import { firewallMenus } from './firewall.menus';
import { hotspotMenus } from './hotspot.menus';
import { interfaceMenus } from './interface.menus';
import { ipMenus } from './ip.menus';
import { pppMenus } from './ppp.menus';
import { queueMenus } from './queue.menus';
import { systemMenus } from './system.menus';
import { toolMenus } from './tool.menus';
import { userMenus } from './user.menus';

export const MENUS: ReadonlyMap<string, MenuSpec> = new Map(
  [
    ...systemMenus,
    ...interfaceMenus,
    ...ipMenus,
    ...dhcpMenus,
    ...pppMenus,
    ...queueMenus,
    ...firewallMenus,
    ...hotspotMenus,
    ...userMenus,
    ...toolMenus,
  ].map((spec) => [spec.path, spec]),
);

import { isRouterOsError, RouterClient, type RouterClientOptions } from '@isp/routeros';

import type { PreloaderConfig, Secrets, Target } from '../config';
import { FACTORY_PASSWORD_ENV, SECRET_ENV } from '../config';
import { PreloaderError } from '../errors';
import { inPrefix, parseCidr } from '../lib/ipv4';
import { FACTORY_USER, type RouterFacts } from '../scan/identify';
import { localAddressTowards } from '../scan/tcp-probe';

/** One router session and whose credentials opened it. */
export interface Session {
  readonly client: RouterClient;
  readonly login: 'factory' | 'mgmt_user';
}

export function clientOptions(
  config: PreloaderConfig,
  target: Target,
  user: string,
  password: string,
): RouterClientOptions {
  return { host: target.host, port: target.port, user, password, timeoutMs: config.routeros.timeout_ms };
}

/** The factory login first (a new router), then mgmt_user's (a router onboarded before, or half-way). */
export async function openSession(
  config: PreloaderConfig,
  secrets: Secrets,
  target: Target,
): Promise<Session> {
  try {
    return {
      client: await RouterClient.connect(
        clientOptions(config, target, FACTORY_USER, secrets.factoryPassword ?? ''),
      ),
      login: 'factory',
    };
  } catch (error) {
    if (!isRouterOsError(error, 'ISP_ERR_ROUTEROS_LOGIN_FAILED')) throw error;
  }
  try {
    return {
      client: await RouterClient.connect(
        clientOptions(config, target, config.routeros.mgmt_user, secrets.mgmtPassword),
      ),
      login: 'mgmt_user',
    };
  } catch (error) {
    if (!isRouterOsError(error, 'ISP_ERR_ROUTEROS_LOGIN_FAILED')) throw error;
    throw new PreloaderError(
      'ISP_ERR_PRELOADER_LOGIN',
      `${target.host}: neither the factory admin (empty password, or ${FACTORY_PASSWORD_ENV}) nor ${config.routeros.mgmt_user} with ${SECRET_ENV.mgmtPassword} can log in`,
      { cause: error },
    );
  }
}

/** The RouterBOARD serial, else (CHR, x86) the first Ethernet MAC: what names the machine. */
export async function serialOf(client: RouterClient, facts: RouterFacts): Promise<string> {
  if (facts.serial !== undefined) return facts.serial;
  // CHR and x86 have no RouterBOARD serial: the first Ethernet MAC names the machine instead.
  const ethers = await client.print('/interface', {
    proplist: ['type', 'mac-address'],
    query: ['type=ether'],
  });
  const mac = ethers.map((row) => row['mac-address']).find((m) => m !== undefined && m !== '');
  if (mac === undefined)
    throw new PreloaderError(
      'ISP_ERR_PRELOADER_IDENTITY',
      'the router has neither a serial number nor an Ethernet MAC',
    );
  return mac.replace(/:/g, '').toUpperCase();
}

/** Every interface the configuration names exists on the router. */
export async function checkInterfaces(client: RouterClient, config: PreloaderConfig): Promise<void> {
  const names = new Set((await client.print('/interface', { proplist: ['name'] })).map((row) => row['name']));
  const missing = [config.wan_interface, ...config.lan_ports].filter((name) => !names.has(name));
  if (missing.length > 0)
    throw new PreloaderError(
      'ISP_ERR_PRELOADER_INTERFACE',
      `the router has no interface ${missing.join(', ')} (wan_interface / lan_ports); it has ${[...names].join(', ')}`,
    );
}

/** This machine reaches the router from inside mgmt_subnet, or limiting the API would lock it out. */
export async function guardManagementReach(config: PreloaderConfig, target: Target): Promise<void> {
  const mgmt = parseCidr(config.mgmt_subnet);
  const local = await localAddressTowards(target.host, target.port, config.routeros.timeout_ms);
  if (mgmt === undefined || local === undefined || inPrefix(local, mgmt)) return;
  throw new PreloaderError(
    'ISP_ERR_PRELOADER_OUTSIDE_MGMT_SUBNET',
    `this machine reaches ${target.host} from ${local}, outside mgmt_subnet ${config.mgmt_subnet}: limiting the API to mgmt_subnet would lock it out; run from mgmt_subnet`,
  );
}

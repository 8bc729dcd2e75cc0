import { randomBytes } from 'node:crypto';

import type { Logger } from '@isp/logging';
import { isRouterOsError, RouterClient, type RouterClientOptions } from '@isp/routeros';

import type { PreloaderConfig, Secrets, Target } from '../config';
import { explicitTargets, FACTORY_PASSWORD_ENV, SECRET_ENV, targetAt } from '../config';
import { errorCode, errorMessage, PreloaderError } from '../errors';
import { hostsOf, inPrefix, parseCidr } from '../lib/ipv4';
import { mapBounded } from '../lib/pool';
import type { Progress } from '../output';
import { FACTORY_USER, routerFacts, type RouterFacts } from '../scan/identify';
import { localAddressTowards, probePort } from '../scan/tcp-probe';
import type { DeviceRegistry, RegisterResult } from './odoo-registry';
import { applyOp, MenuCache, renderKept, renderOp, type OpOutcome } from './ops';
import { API_SSL_CERTIFICATE, buildPlan, identityFor, type Step, type StepName } from './plan';

export type RouterStatus = 'onboarded' | 'unchanged' | 'failed' | 'planned';

export interface CommandLine {
  readonly outcome: OpOutcome | 'planned';
  readonly command: string;
}

export interface StepReport {
  readonly name: StepName | 'admin' | 'register' | 'verify';
  readonly title: string;
  readonly changed: number;
  readonly unchanged: number;
  readonly commands: readonly CommandLine[];
}

export interface RouterReport {
  readonly host: string;
  readonly port: number;
  status: RouterStatus;
  /** Which credentials opened the session: the factory ones, or mgmt_user's (a re-run). */
  login?: 'factory' | 'mgmt_user';
  identity?: string;
  serial?: string;
  board?: string;
  version?: string;
  mgmtIp?: string;
  readonly steps: StepReport[];
  /** The factory admin's new password: shown once, here, and nowhere else. */
  adminPassword?: string;
  adminDisabled?: boolean;
  wireguardPublicKey?: string;
  apiSslFingerprint?: string;
  odoo?: RegisterResult;
  error?: { readonly code: string; readonly message: string; readonly step: string };
}

export interface OnboardOptions {
  readonly config: PreloaderConfig;
  readonly secrets: Secrets;
  readonly dryRun: boolean;
}

export interface OnboardDeps {
  readonly logger: Logger;
  readonly progress: Progress;
  /** Odoo; not used in a dry run. */
  readonly registry: DeviceRegistry | undefined;
  /** A strong random password for the factory admin (tests may fix it). */
  readonly randomPassword?: () => string;
}

export interface OnboardResult {
  readonly ok: boolean;
  readonly dryRun: boolean;
  readonly routers: readonly RouterReport[];
}

function strongPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Finds the targets (scanning `subnet` when no `targets`), then onboards each; one failure stops no other. */
export async function onboard(options: OnboardOptions, deps: OnboardDeps): Promise<OnboardResult> {
  const { config } = options;
  if (!options.dryRun && deps.registry === undefined)
    throw new PreloaderError('ISP_ERR_PRELOADER_ODOO', 'onboarding registers routers in Odoo: no Odoo given');
  const targets = explicitTargets(config) ?? (await discoverTargets(config, deps));
  if (targets.length > 1 && config.tunnel?.address !== undefined) {
    const shared = targets.filter((t) => t.tunnelAddress === config.tunnel?.address);
    if (shared.length > 1)
      throw new PreloaderError(
        'ISP_ERR_PRELOADER_CONFIG',
        'tunnel.address is one address for several routers: give each target its tunnel_address',
      );
  }
  // Routers of one run are onboarded in parallel: Odoo cannot see a name another router of this
  // run is about to take, so the run keeps its own list.
  const claimed = new Map<string, string>();
  const routers = await mapBounded(targets, config.concurrency, (target, index) =>
    onboardRouter(target, index, options, deps, claimed),
  );
  return { ok: routers.every((r) => r.status !== 'failed'), dryRun: options.dryRun, routers };
}

async function discoverTargets(config: PreloaderConfig, deps: OnboardDeps): Promise<Target[]> {
  const subnet = config.subnet ?? '';
  const hosts = hostsOf(subnet);
  deps.progress.line(`looking for routers in ${subnet} on port ${config.routeros.api_port}`);
  const states = await mapBounded(hosts, 256, (host) =>
    probePort(host, config.routeros.api_port, Math.min(config.routeros.timeout_ms, 2000)),
  );
  return hosts.filter((_, i) => states[i] === 'open').map((host) => targetAt(config, host));
}

class StepFailure extends Error {
  constructor(
    readonly step: string,
    readonly original: unknown,
  ) {
    super(errorMessage(original));
  }
}

async function inStep<T>(step: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StepFailure) throw error;
    throw new StepFailure(step, error);
  }
}

interface Session {
  readonly client: RouterClient;
  readonly login: 'factory' | 'mgmt_user';
}

function clientOptions(
  config: PreloaderConfig,
  target: Target,
  user: string,
  password: string,
): RouterClientOptions {
  return { host: target.host, port: target.port, user, password, timeoutMs: config.routeros.timeout_ms };
}

/** The factory login first (a new router), then mgmt_user's (a router onboarded before, or half-way). */
async function openSession(config: PreloaderConfig, secrets: Secrets, target: Target): Promise<Session> {
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

async function serialOf(client: RouterClient, facts: RouterFacts): Promise<string> {
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

async function checkInterfaces(client: RouterClient, config: PreloaderConfig): Promise<void> {
  const names = new Set((await client.print('/interface', { proplist: ['name'] })).map((row) => row['name']));
  const missing = [config.wan_interface, ...config.lan_ports].filter((name) => !names.has(name));
  if (missing.length > 0)
    throw new PreloaderError(
      'ISP_ERR_PRELOADER_INTERFACE',
      `the router has no interface ${missing.join(', ')} (wan_interface / lan_ports); it has ${[...names].join(', ')}`,
    );
}

function report(step: StepReport['name'], title: string, commands: CommandLine[]): StepReport {
  const changed = commands.filter((c) => c.outcome !== 'unchanged').length;
  return { name: step, title, changed, unchanged: commands.length - changed, commands };
}

async function onboardRouter(
  target: Target,
  index: number,
  options: OnboardOptions,
  deps: OnboardDeps,
  claimed: Map<string, string>,
): Promise<RouterReport> {
  const { config, secrets, dryRun } = options;
  const log = deps.logger.child({ router: target.host, port: target.port });
  const say = (text: string): void => {
    deps.progress.line(`${target.host}: ${text}`);
  };
  const result: RouterReport = { host: target.host, port: target.port, status: 'failed', steps: [] };
  let session: Session | undefined;
  try {
    say('logging in');
    session = await inStep('login', () => openSession(config, secrets, target));
    const { client } = session;
    result.login = session.login;
    const facts = await inStep('login', () => routerFacts(client));
    const serial = await inStep('login', () => serialOf(client, facts));
    const identity =
      target.identity ?? identityFor(config.identity, { sector: config.sector_code, serial, n: index + 1 });
    Object.assign(result, { identity, serial, board: facts.board, version: facts.version });
    log.info({ login: session.login, serial, identity }, 'logged in');
    await inStep('login', () => checkInterfaces(client, config));
    const holder = claimed.get(identity);
    if (holder !== undefined && holder !== serial)
      throw new StepFailure(
        'name',
        new PreloaderError(
          'ISP_ERR_PRELOADER_IDENTITY',
          `identity ${identity} is also what router ${holder} of this run gets`,
        ),
      );
    claimed.set(identity, serial);
    if (!dryRun) {
      await inStep('register', async () =>
        deps.registry?.check({ sectorCode: config.sector_code, identity, serial }),
      );
      await inStep('secure', () => guardManagementReach(config, target));
    }
    const steps = buildPlan(config, secrets, {
      identity,
      rewriteMgmtPassword: session.login !== 'mgmt_user',
      tunnelAddress: target.tunnelAddress,
    });
    const cache = new MenuCache(client);
    for (const step of steps) {
      say(`${dryRun ? 'planning' : 'applying'} ${step.name}`);
      result.steps.push(
        await inStep(step.name, () => runStep(client, cache, step, dryRun, config, secrets, target)),
      );
    }
    if (config.tunnel !== undefined) {
      const [wg] = await client
        .print('/interface/wireguard', {
          proplist: ['public-key'],
          query: [`name=${config.tunnel.interface}`],
        })
        .catch(() => []);
      const key = wg?.['public-key'];
      if (key !== undefined) result.wireguardPublicKey = key;
    }
    if (config.routeros.api_ssl) {
      const [cert] = await client
        .print('/certificate', {
          proplist: ['fingerprint'],
          query: [`name=${API_SSL_CERTIFICATE}`],
        })
        .catch(() => []);
      const fingerprint = cert?.['fingerprint'];
      if (fingerprint !== undefined && fingerprint !== '') result.apiSslFingerprint = fingerprint;
    }
    result.steps.push(
      await inStep('admin', () => lockFactoryAdmin(session as Session, config, dryRun, deps, result)),
    );
    await client.close();
    session = undefined;

    const mgmtIp =
      target.tunnelAddress === undefined
        ? target.host
        : (parseCidr(target.tunnelAddress)?.address ?? target.host);
    result.mgmtIp = mgmtIp;
    const apiTls = config.routeros.api_ssl;
    const record = {
      name: identity,
      sectorCode: config.sector_code,
      mgmtIp,
      apiPort: apiTls ? target.apiSslPort : target.port,
      apiTls,
      apiTlsFingerprint: result.apiSslFingerprint,
      apiUser: config.routeros.mgmt_user,
      apiPassword: secrets.mgmtPassword,
      identity,
      serial,
      board: facts.board,
      version: facts.version,
    };
    if (dryRun || deps.registry === undefined) {
      result.steps.push(
        report('register', 'Register in Odoo', [
          {
            outcome: 'planned',
            command: `isp.device ${identity} (serial ${serial}) in sector ${config.sector_code}, mgmt ${mgmtIp}:${record.apiPort}; device_sync queued`,
          },
        ]),
      );
    } else {
      say('registering in Odoo');
      const registry = deps.registry;
      const registered = await inStep('register', () => registry.register(record));
      result.odoo = registered;
      result.steps.push(
        report('register', 'Register in Odoo', [
          {
            outcome:
              registered.outcome === 'created'
                ? 'added'
                : registered.outcome === 'updated'
                  ? 'updated'
                  : 'unchanged',
            command: `isp.device ${registered.deviceId} ${registered.outcome}${registered.syncQueued ? ', device_sync queued' : ''}`,
          },
        ]),
      );
      say('verifying');
      result.steps.push(await inStep('verify', () => verify(config, secrets, target, identity)));
    }
    const changed = result.steps.some((s) => s.changed > 0);
    result.status = dryRun ? 'planned' : changed ? 'onboarded' : 'unchanged';
    say(
      dryRun ? 'planned (dry run: nothing changed)' : changed ? 'onboarded' : 'already onboarded, left as is',
    );
    log.info({ status: result.status }, 'router done');
  } catch (error) {
    const failure = error instanceof StepFailure ? error : new StepFailure('onboard', error);
    result.error = { code: errorCode(failure.original), message: failure.message, step: failure.step };
    result.status = 'failed';
    say(`FAILED in ${failure.step}: ${failure.message}`);
    log.error({ err: failure.original, step: failure.step }, 'router failed');
  } finally {
    await session?.client.close().catch(() => undefined);
  }
  return result;
}

async function guardManagementReach(config: PreloaderConfig, target: Target): Promise<void> {
  const mgmt = parseCidr(config.mgmt_subnet);
  const local = await localAddressTowards(target.host, target.port, config.routeros.timeout_ms);
  if (mgmt === undefined || local === undefined || inPrefix(local, mgmt)) return;
  throw new PreloaderError(
    'ISP_ERR_PRELOADER_OUTSIDE_MGMT_SUBNET',
    `this machine reaches ${target.host} from ${local}, outside mgmt_subnet ${config.mgmt_subnet}: limiting the API to mgmt_subnet would lock it out; run from mgmt_subnet`,
  );
}

async function runStep(
  client: RouterClient,
  cache: MenuCache,
  step: Step,
  dryRun: boolean,
  config: PreloaderConfig,
  secrets: Secrets,
  target: Target,
): Promise<StepReport> {
  const commands: CommandLine[] = [];
  if (step.name === 'secure' && config.routeros.api_ssl)
    commands.push(...(await ensureCertificate(client, cache, dryRun, target)));
  for (const op of step.ops) {
    const applied = await applyOp(client, cache, op, dryRun).catch((error: unknown) => {
      throw new PreloaderError('ISP_ERR_PRELOADER_ROUTER', `${renderOp(op)}: ${errorMessage(error)}`, {
        cause: error,
      });
    });
    commands.push({ outcome: applied.outcome, command: applied.command ?? renderKept(op) });
    // Before anything limits the API, the new account must work: a fresh login proves it.
    if (!dryRun && op.kind === 'ensure' && op.menu === '/user' && applied.outcome !== 'unchanged') {
      const check = await RouterClient.connect(
        clientOptions(config, target, config.routeros.mgmt_user, secrets.mgmtPassword),
      );
      await check.close();
    }
  }
  return report(step.name, step.title, commands);
}

/** A self-signed certificate for api-ssl: added, then signed (RouterOS makes its key when signing). */
async function ensureCertificate(
  client: RouterClient,
  cache: MenuCache,
  dryRun: boolean,
  target: Target,
): Promise<CommandLine[]> {
  const rows = await cache.rows('/certificate');
  const existing = rows.find((row) => row['name'] === API_SSL_CERTIFICATE);
  const lines: CommandLine[] = [];
  let id = existing?.['.id'];
  if (existing === undefined) {
    const values = {
      name: API_SSL_CERTIFICATE,
      'common-name': target.host,
      'key-usage': 'key-cert-sign,tls-server',
      'days-valid': '3650',
    };
    if (!dryRun) {
      id = await client.add('/certificate', values);
      cache.invalidate('/certificate');
    }
    lines.push({
      outcome: 'added',
      command: `/certificate add name=${API_SSL_CERTIFICATE} common-name=${target.host} key-usage=key-cert-sign,tls-server days-valid=3650`,
    });
  }
  if (existing?.['private-key'] !== 'true') {
    if (!dryRun && id !== undefined) {
      await client.execute('/certificate/sign', { '.id': id }, [], { timeoutMs: 60_000 });
      cache.invalidate('/certificate');
    }
    lines.push({ outcome: 'updated', command: `/certificate sign ${API_SSL_CERTIFICATE}` });
  } else {
    lines.push({ outcome: 'unchanged', command: `/certificate sign ${API_SSL_CERTIFICATE}` });
  }
  return lines;
}

/**
 * The factory admin must not log in with its factory password any more: given a strong random
 * password (shown once) or disabled. Only a session opened with the factory login can still do it;
 * a mgmt_user session proves it was done.
 */
async function lockFactoryAdmin(
  session: Session,
  config: PreloaderConfig,
  dryRun: boolean,
  deps: OnboardDeps,
  result: RouterReport,
): Promise<StepReport> {
  const title = 'Factory admin: no factory login';
  const disable = config.routeros.admin === 'disable';
  const command = disable
    ? '/user set [find name=admin] disabled=yes'
    : '/user set [find name=admin] password=<random, shown once>';
  if (session.login !== 'factory') return report('admin', title, [{ outcome: 'unchanged', command }]);
  if (!dryRun) {
    const [admin] = await session.client.print('/user', {
      proplist: ['.id'],
      query: [`name=${FACTORY_USER}`],
    });
    const id = admin?.['.id'];
    if (id === undefined)
      throw new PreloaderError('ISP_ERR_PRELOADER_ROUTER', 'the router has no admin user');
    if (disable) {
      await session.client.set('/user', id, { disabled: 'yes' });
      result.adminDisabled = true;
    } else {
      const password = (deps.randomPassword ?? strongPassword)();
      await session.client.set('/user', id, { password });
      result.adminPassword = password;
    }
  }
  return report('admin', title, [{ outcome: dryRun ? 'planned' : 'updated', command }]);
}

/** A fresh login as mgmt_user answers with the new identity, and the factory login is refused. */
async function verify(
  config: PreloaderConfig,
  secrets: Secrets,
  target: Target,
  identity: string,
): Promise<StepReport> {
  const title = 'Verify: fresh logins';
  const mgmt = await RouterClient.connect(
    clientOptions(config, target, config.routeros.mgmt_user, secrets.mgmtPassword),
  ).catch((error: unknown) => {
    throw new PreloaderError(
      'ISP_ERR_PRELOADER_VERIFY',
      `${config.routeros.mgmt_user} cannot log in: ${errorMessage(error)}`,
      {
        cause: error,
      },
    );
  });
  try {
    const [row] = await mgmt.print('/system/identity', { proplist: ['name'] });
    if (row?.['name'] !== identity)
      throw new PreloaderError(
        'ISP_ERR_PRELOADER_VERIFY',
        `the router calls itself ${row?.['name'] ?? '?'}, not ${identity}`,
      );
  } finally {
    await mgmt.close();
  }
  const factory = await RouterClient.connect(
    clientOptions(config, target, FACTORY_USER, secrets.factoryPassword ?? ''),
  ).then(
    async (client) => {
      await client.close();
      return 'accepted' as const;
    },
    (error: unknown) =>
      isRouterOsError(error, 'ISP_ERR_ROUTEROS_LOGIN_FAILED') ? ('refused' as const) : error,
  );
  if (factory === 'accepted')
    throw new PreloaderError(
      'ISP_ERR_PRELOADER_VERIFY',
      'the factory admin login (empty password) still works',
    );
  if (factory !== 'refused') throw factory;
  return report('verify', title, [
    { outcome: 'unchanged', command: `login ${config.routeros.mgmt_user}: ok, identity ${identity}` },
    { outcome: 'unchanged', command: 'login admin with the factory password: refused' },
  ]);
}

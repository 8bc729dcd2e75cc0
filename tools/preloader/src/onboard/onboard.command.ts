import type { Logger } from '@isp/logging';

import type { PreloaderConfig, Secrets, Target } from '../config';
import { explicitTargets, targetAt } from '../config';
import { errorCode, errorMessage, PreloaderError } from '../errors';
import { parseCidr } from '../lib/ipv4';
import { mapBounded } from '../lib/pool';
import type { Progress } from '../output';
import { routerFacts } from '../scan/identify';
import { KIND_TEXT, scan } from '../scan/scan.command';
import type { DeviceRecord, DeviceRegistry, RegisterResult } from './odoo-registry';
import { MenuCache } from './ops';
import { buildPlan, identityFor } from './plan';
import {
  lockFactoryAdmin,
  plannedRegistration,
  registrationReport,
  routerKeys,
  runStep,
  verify,
  type StepReport,
} from './router-steps';
import { checkInterfaces, guardManagementReach, openSession, serialOf, type Session } from './session';

export type { CommandLine, StepReport } from './router-steps';

export type RouterStatus = 'onboarded' | 'unchanged' | 'failed' | 'planned';

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

/** The RouterOS API listeners of `subnet` (what `scan` finds); anything else is named and left out. */
async function discoverTargets(config: PreloaderConfig, deps: OnboardDeps): Promise<Target[]> {
  const subnet = config.subnet ?? '';
  deps.progress.line(`looking for routers in ${subnet} on port ${config.routeros.api_port}`);
  const found = await scan(
    {
      subnet,
      port: config.routeros.api_port,
      concurrency: 256,
      timeoutMs: Math.min(config.routeros.timeout_ms, 2000),
      mndpPort: undefined,
      mndpWaitMs: 0,
    },
    { logger: deps.logger, progress: deps.progress },
  );
  const routers = found.listeners.filter((l) => l.kind === 'routeros' || l.kind === 'routeros-login-refused');
  for (const other of found.listeners.filter((l) => !routers.includes(l)))
    deps.progress.line(`${other.address}: left out: ${KIND_TEXT[other.kind]}`);
  return routers.map((listener) => targetAt(config, listener.address));
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
    Object.assign(result, await routerKeys(client, config));
    const opened = session;
    const locked = await inStep('admin', () => lockFactoryAdmin(opened, config, dryRun, deps.randomPassword));
    result.steps.push(locked.step);
    if (locked.adminPassword !== undefined) result.adminPassword = locked.adminPassword;
    if (locked.adminDisabled === true) result.adminDisabled = true;
    await client.close();
    session = undefined;

    const mgmtIp =
      target.tunnelAddress === undefined
        ? target.host
        : (parseCidr(target.tunnelAddress)?.address ?? target.host);
    result.mgmtIp = mgmtIp;
    const apiTls = config.routeros.api_ssl;
    const record: DeviceRecord = {
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
      result.steps.push(plannedRegistration(record));
    } else {
      say('registering in Odoo');
      const registry = deps.registry;
      const registered = await inStep('register', () => registry.register(record));
      result.odoo = registered;
      result.steps.push(registrationReport(registered));
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

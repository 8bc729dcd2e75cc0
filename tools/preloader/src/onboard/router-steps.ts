import { randomBytes } from 'node:crypto';

import { isRouterOsError, RouterClient } from '@isp/routeros';

import type { PreloaderConfig, Secrets, Target } from '../config';
import type { DeviceRecord, RegisterResult } from './odoo-registry';
import { errorMessage, PreloaderError } from '../errors';
import { FACTORY_USER } from '../scan/identify';
import { applyOp, MenuCache, renderKept, renderOp, type OpOutcome } from './ops';
import { API_SSL_CERTIFICATE, type Step, type StepName } from './plan';
import { clientOptions, type Session } from './session';

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

function strongPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** A step's report from the commands it sent (or found needless). */
export function report(step: StepReport['name'], title: string, commands: CommandLine[]): StepReport {
  const changed = commands.filter((c) => c.outcome !== 'unchanged').length;
  return { name: step, title, changed, unchanged: commands.length - changed, commands };
}

/** Applies (or, in a dry run, reads and compares) every op of a step. */
export async function runStep(
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
export async function lockFactoryAdmin(
  session: Session,
  config: PreloaderConfig,
  dryRun: boolean,
  randomPassword: () => string = strongPassword,
): Promise<{ readonly step: StepReport; readonly adminPassword?: string; readonly adminDisabled?: boolean }> {
  const title = 'Factory admin: no factory login';
  const disable = config.routeros.admin === 'disable';
  const command = disable
    ? '/user set [find name=admin] disabled=yes'
    : '/user set [find name=admin] password=<random, shown once>';
  if (session.login !== 'factory')
    return { step: report('admin', title, [{ outcome: 'unchanged', command }]) };
  if (dryRun) return { step: report('admin', title, [{ outcome: 'planned', command }]) };
  const [admin] = await session.client.print('/user', {
    proplist: ['.id'],
    query: [`name=${FACTORY_USER}`],
  });
  const id = admin?.['.id'];
  if (id === undefined) throw new PreloaderError('ISP_ERR_PRELOADER_ROUTER', 'the router has no admin user');
  const step = report('admin', title, [{ outcome: 'updated', command }]);
  if (disable) {
    await session.client.set('/user', id, { disabled: 'yes' });
    return { step, adminDisabled: true };
  }
  const password = randomPassword();
  await session.client.set('/user', id, { password });
  return { step, adminPassword: password };
}

/** A fresh login as mgmt_user answers with the new identity, and the factory login is refused. */
export async function verify(
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

/** What the NOC and Odoo need to know of the router's own keys: WireGuard public key, api-ssl fingerprint. */
export async function routerKeys(
  client: RouterClient,
  config: PreloaderConfig,
): Promise<{ wireguardPublicKey?: string; apiSslFingerprint?: string }> {
  const one = async (menu: string, property: string, name: string): Promise<string | undefined> => {
    const [row] = await client.print(menu, { proplist: [property], query: [`name=${name}`] }).catch(() => []);
    const value = row?.[property];
    return value === undefined || value === '' ? undefined : value;
  };
  const wireguardPublicKey =
    config.tunnel === undefined
      ? undefined
      : await one('/interface/wireguard', 'public-key', config.tunnel.interface);
  const apiSslFingerprint = config.routeros.api_ssl
    ? await one('/certificate', 'fingerprint', API_SSL_CERTIFICATE)
    : undefined;
  return {
    ...(wireguardPublicKey === undefined ? {} : { wireguardPublicKey }),
    ...(apiSslFingerprint === undefined ? {} : { apiSslFingerprint }),
  };
}

const REGISTER_TITLE = 'Register in Odoo';

export function plannedRegistration(record: DeviceRecord): StepReport {
  return report('register', REGISTER_TITLE, [
    {
      outcome: 'planned',
      command: `isp.device ${record.identity} (serial ${record.serial}) in sector ${record.sectorCode}, mgmt ${record.mgmtIp}:${record.apiPort}; device_sync queued`,
    },
  ]);
}

const REGISTER_OUTCOME: Readonly<Record<RegisterResult['outcome'], OpOutcome>> = {
  created: 'added',
  updated: 'updated',
  unchanged: 'unchanged',
};

export function registrationReport(registered: RegisterResult): StepReport {
  return report('register', REGISTER_TITLE, [
    {
      outcome: REGISTER_OUTCOME[registered.outcome],
      command: `isp.device ${registered.deviceId} ${registered.outcome}${registered.syncQueued ? ', device_sync queued' : ''}`,
    },
  ]);
}

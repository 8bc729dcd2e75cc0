import { legacyLoginResponse } from '@isp/routeros';

import { groupPolicies, seedFactoryDefault } from './factory-default';
import type { FaultSettings } from './faults';
import { noFaults } from './faults';
import { parseHeaderField, performFetch } from './fetch';
import type { FetchOutcome } from './fetch';
import { MenuEngine, printRow } from './menu-engine';
import type { Caller, Outcome } from './menu-engine';
import { MENUS } from './menus';
import { formatId, RouterState } from './router-state';
import { CERTIFICATE_PEM, PRIVATE_KEY_PEM, signCertificate } from './certificates';
import type { SignedCertificate } from './certificates';
import { runScript } from './script-runner';
import type { TlsMaterial } from './sim-server';
import { addressIn } from './world/address-match';

export interface SimRouterOptions {
  readonly address: string;
  /** RouterOS version, e.g. `7.20`; 7.18 and later answer an empty print with `!empty`. */
  readonly version: string;
  /** Emulate a pre-6.43 router: `/login` answers with an MD5 challenge. */
  readonly legacyLogin?: boolean;
  /** The factory admin password ("" as on older devices, or a sticker password). */
  readonly adminPassword?: string;
  readonly latencyMs?: number;
  /** `chr`: a Cloud Hosted Router (x86), which has no `/system/routerboard` menu. Default `routerboard`. */
  readonly platform?: Platform;
}

export type Platform = 'routerboard' | 'chr';

/** Menus a platform does not have: commands there answer as for any unknown path. */
const MISSING_MENUS: Readonly<Record<Platform, readonly string[]>> = {
  routerboard: [],
  chr: ['/system/routerboard'],
};

/** One HTTP request a script made, for tests to inspect. */
export interface FetchRecord {
  readonly at: string;
  readonly url: string;
  readonly method: string;
  readonly body: string | undefined;
  readonly outcome: FetchOutcome | { readonly error: string };
}

const trap = (message: string, category?: number): Outcome => ({
  traps: [category === undefined ? { message } : { message, category }],
});

// Every menu path of a router and every directory above one: the rest is "no such command or directory".
function directoriesOf(menus: Iterable<string>): ReadonlySet<string> {
  return new Set(
    [...menus, '/tool', '/tool/fetch'].flatMap((path) => {
      const parts = path.split('/').filter(Boolean);
      return parts.map((_, index) => `/${parts.slice(0, index + 1).join('/')}`);
    }),
  );
}

/** Whether `address` is allowed by an address restriction (a comma list of prefixes; empty = any). */
function allowedFrom(restriction: string, address: string): boolean {
  const plain = address.replace(/^::ffff:/, '');
  return restriction === '' || restriction.split(',').some((prefix) => addressIn(plain, prefix));
}

/** What an API listener does with a new connection: serve it, reset it (service off), or close it. */
export type Admission = 'serve' | 'reset' | 'close';

// Scripts run with the policies of their owner; the lease-script's are full.
const FULL_CALLER: Caller = { user: 'script', policies: new Set(['read', 'write', 'sensitive']) };

const READ_VERBS: ReadonlySet<string> = new Set(['print', 'getall', 'listen']);

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/** A simulated router: its state, its command semantics, its faults and its invariants. */
export class SimRouter {
  readonly state: RouterState;
  readonly engine: MenuEngine;
  readonly faults: FaultSettings;
  readonly fetches: FetchRecord[] = [];
  /** What DNS names in address lists resolve to (set through the control interface). */
  readonly hosts = new Map<string, readonly string[]>();
  readonly stats = { inFlight: 0, maxInFlight: 0 };
  private readonly startedAt = Date.now();
  private readonly scriptRuns = new Set<Promise<void>>();
  private readonly directories: ReadonlySet<string>;

  constructor(readonly options: SimRouterOptions) {
    const platform = options.platform ?? 'routerboard';
    this.state = new RouterState(MISSING_MENUS[platform]);
    this.engine = new MenuEngine(this.state);
    this.directories = directoriesOf(this.state.tables.keys());
    this.faults = noFaults(options.latencyMs ?? 0);
    seedFactoryDefault(this.state, {
      version: options.version,
      adminPassword: options.adminPassword ?? '',
      address: options.address,
      platform,
    });
  }

  get address(): string {
    return this.options.address;
  }

  get sendsEmpty(): boolean {
    return versionAtLeast(this.options.version, 7, 18);
  }

  /**
   * The key and certificate api-ssl serves: the signed `/certificate` its `certificate` names,
   * else the lab's `--tls-key`/`--tls-cert` material; undefined when there is neither (RouterOS
   * would offer anonymous Diffie-Hellman only, which no client here speaks).
   */
  apiSslMaterial(fallback: TlsMaterial | undefined): TlsMaterial | undefined {
    const service = this.state.items('/ip/service').find((item) => item.values['name'] === 'api-ssl');
    const name = service?.values['certificate'] ?? 'none';
    if (name === 'none') return fallback;
    const certificate = this.state.items('/certificate').find((item) => item.values['name'] === name);
    const cert = certificate?.values[CERTIFICATE_PEM];
    const key = certificate?.values[PRIVATE_KEY_PEM];
    return cert === undefined || key === undefined ? undefined : { cert, key };
  }

  /** Seconds since the router started. */
  uptimeSeconds(): number {
    return Math.floor((Date.now() - this.startedAt) / 1000);
  }

  /**
   * How `/ip/service` treats a connection from `remote` to `service` (`api` or `api-ssl`): a
   * disabled service does not listen (the connection is reset), an address outside its
   * `available-from` is accepted and closed at once, as RouterOS does.
   */
  admit(service: 'api' | 'api-ssl', remote: string): Admission {
    const row = this.state.items('/ip/service').find((item) => item.values['name'] === service);
    if (row === undefined || row.values['disabled'] === 'true') return 'reset';
    return allowedFrom(row.values['available-from'] ?? '', remote) ? 'serve' : 'close';
  }

  /**
   * Checks credentials (and the user's `address` restriction against `remote`); returns the
   * logged-in caller or undefined. A disabled user, a wrong password, a foreign address and a
   * group without `api` all get the same refusal, as on RouterOS.
   */
  login(name: string, check: (password: string) => boolean, remote = ''): Caller | undefined {
    const user = this.state
      .items('/user')
      .find((item) => item.values['name'] === name && item.values['disabled'] !== 'true');
    if (user === undefined || !check(user.values['password'] ?? '')) return undefined;
    if (!allowedFrom(user.values['address'] ?? '', remote)) return undefined;
    const group = this.state
      .items('/user/group')
      .find((item) => item.values['name'] === user.values['group']);
    const policies = groupPolicies(group?.values['policy'] ?? '');
    if (!policies.has('api')) return undefined;
    user.values['last-logged-in'] = new Date().toISOString().slice(0, 19).replace('T', ' ');
    return { user: name, policies };
  }

  static checkLegacy(challenge: string, response: string): (password: string) => boolean {
    return (password) => legacyLoginResponse(password, challenge) === response;
  }

  /** Runs one command of a logged-in caller. Listen, cancel, login and quit belong to the session. */
  async execute(
    caller: Caller,
    command: string,
    attributes: Readonly<Record<string, string>>,
    queries: readonly string[],
  ): Promise<Outcome> {
    const faultTrap = this.faults.traps.get(command);
    if (faultTrap !== undefined) return trap(faultTrap.message, faultTrap.category);
    const parts = command.split('/').filter(Boolean);
    const verb = parts.pop() ?? '';
    const menu = `/${parts.join('/')}`;
    const denied = this.deny(caller, menu, verb);
    if (denied !== undefined) return denied;
    if (command === '/tool/fetch') return this.fetch(attributes);
    const table = this.state.table(menu);
    if (table === undefined) return this.unknownPath(command);
    switch (verb) {
      case 'print':
      case 'getall':
        if (table.spec.path === '/system/resource') this.refreshResource();
        return this.engine.print(table, attributes, queries, caller);
      case 'add':
        return this.engine.add(table, attributes, caller);
      case 'set':
        return this.engine.set(table, attributes, caller);
      case 'remove':
        return this.engine.remove(table, attributes, caller);
      case 'enable':
      case 'disable':
        return this.engine.toggle(table, attributes, caller, verb === 'disable');
      case 'make-static':
        return menu === '/ip/dhcp-server/lease'
          ? this.makeStatic(attributes, caller)
          : trap('no such command', 0);
      case 'sign':
        return menu === '/certificate' ? this.sign(attributes, caller) : trap('no such command', 0);
      case 'run':
        return menu === '/system/script' ? this.runStoredScript(attributes) : trap('no such command', 0);
      default:
        return trap('no such command', 0);
    }
  }

  /** Rows of a menu as `print` would show them, for listen and for the control interface. */
  rows(menu: string, caller: Caller): Record<string, string>[] {
    const table = this.state.table(menu);
    if (table === undefined) return [];
    return table.items.map((item) => printRow(this.state, table.spec, item, caller));
  }

  unknownPath(command: string): Outcome {
    if (!command.startsWith('/')) return trap('no such command prefix', 0);
    const parts = command.split('/').filter(Boolean);
    for (let index = 0; index < parts.length; index++) {
      const prefix = `/${parts.slice(0, index + 1).join('/')}`;
      if (!this.directories.has(prefix)) {
        if (index === parts.length - 1) return trap('no such command', 0);
        return {
          traps: [
            { message: `no such command or directory (${parts[index] ?? ''})`, category: 0 },
            { message: 'no such command prefix', category: 0 },
          ],
        };
      }
    }
    return trap('no such command', 0);
  }

  /** Waits until every script started by lease events has finished (tests use it). */
  async settled(): Promise<void> {
    while (this.scriptRuns.size > 0) await Promise.allSettled([...this.scriptRuns]);
  }

  /** Runs a script in the background; its failures are recorded, never thrown. */
  startScript(source: string, variables: Readonly<Record<string, string>>): void {
    const run = runScript(source, variables, {
      fetch: async (args) => {
        await this.fetchAndRecord(args);
      },
      get: (menu, property) => this.scriptGet(menu, property),
      hasMenu: (menu) => this.directories.has(menu),
    })
      .catch((error: unknown) => {
        this.fetches.push({
          at: new Date().toISOString(),
          url: '',
          method: '',
          body: undefined,
          outcome: { error: error instanceof Error ? error.message : String(error) },
        });
      })
      .finally(() => this.scriptRuns.delete(run));
    this.scriptRuns.add(run);
  }

  /** `[/menu get property]` in a script: a menu the router lacks fails the script, as RouterOS refuses it. */
  private scriptGet(menu: string, property: string): string | undefined {
    const table = this.state.table(menu);
    if (table === undefined) throw new Error(`bad command name ${menu.split('/').at(-1) ?? menu}`);
    if (menu === '/system/resource') this.refreshResource();
    const item = table.items[0];
    if (item === undefined) return undefined;
    return item.values[property] ?? printRow(this.state, table.spec, item, FULL_CALLER)[property];
  }

  private deny(caller: Caller, menu: string, verb: string): Outcome | undefined {
    const needed = READ_VERBS.has(verb) ? ['read'] : menu === '/tool' ? ['read', 'test'] : ['write'];
    const extra = MENUS.get(menu)?.writePolicy;
    if (extra !== undefined && !READ_VERBS.has(verb)) needed.push(extra);
    return needed.every((policy) => caller.policies.has(policy))
      ? undefined
      : trap('not enough permissions (9)', 1);
  }

  private refreshResource(): void {
    const resource = this.state.items('/system/resource')[0];
    if (resource === undefined) return;
    const seconds = this.uptimeSeconds();
    const d = Math.floor(seconds / 86400);
    const h = Math.floor((seconds % 86400) / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    resource.values['uptime'] = `${d > 0 ? `${d}d` : ''}${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s}s`;
  }

  private makeStatic(attributes: Readonly<Record<string, string>>, caller: Caller): Outcome {
    const table = this.state.table('/ip/dhcp-server/lease');
    const item = table === undefined ? undefined : this.engine.find(table, attributes['.id'] ?? '');
    if (item === undefined) return trap('no such item', 0);
    delete item.dynamic;
    this.state.update('/ip/dhcp-server/lease', item, {});
    this.state.record({
      user: caller.user,
      command: '/ip/dhcp-server/lease/make-static',
      id: formatId(item.id),
      attributes,
    });
    return {};
  }

  private sign(attributes: Readonly<Record<string, string>>, caller: Caller): Outcome {
    const table = this.state.table('/certificate');
    const item =
      table === undefined
        ? undefined
        : this.engine.find(table, attributes['.id'] ?? attributes['number'] ?? '');
    if (item === undefined) return trap('no such item', 0);
    let signed: SignedCertificate;
    try {
      signed = signCertificate({
        commonName: item.values['common-name'] ?? '',
        keySize: item.values['key-size'] ?? '2048',
        daysValid: Number(item.values['days-valid'] ?? '365'),
        ...(item.values['subject-alt-name'] === undefined
          ? {}
          : { subjectAltName: item.values['subject-alt-name'] }),
      });
    } catch (error) {
      return trap(`failure: ${error instanceof Error ? error.message : String(error)}`, 1);
    }
    this.state.update('/certificate', item, {
      fingerprint: signed.fingerprint,
      'private-key': 'true',
      trusted: 'true',
      'key-type': signed.keyType,
      'invalid-before': signed.invalidBefore,
      'invalid-after': signed.invalidAfter,
      [CERTIFICATE_PEM]: signed.cert,
      [PRIVATE_KEY_PEM]: signed.key,
    });
    this.state.record({ user: caller.user, command: '/certificate/sign', id: formatId(item.id), attributes });
    return { rows: [{ progress: 'done' }] };
  }

  private async runStoredScript(attributes: Readonly<Record<string, string>>): Promise<Outcome> {
    const table = this.state.table('/system/script');
    const item =
      table === undefined
        ? undefined
        : this.engine.find(table, attributes['.id'] ?? attributes['number'] ?? '');
    if (item === undefined) return trap('no such item', 0);
    item.values['run-count'] = String(Number(item.values['run-count'] ?? '0') + 1);
    item.values['last-started'] = new Date().toISOString().slice(0, 19).replace('T', ' ');
    try {
      await runScript(
        item.values['source'] ?? '',
        {},
        {
          fetch: async (args) => {
            const outcome = await this.fetchAndRecord(args);
            if ('error' in outcome) throw new Error(outcome.error);
          },
          get: (menu, property) => this.scriptGet(menu, property),
          hasMenu: (menu) => this.directories.has(menu),
        },
      );
      return {};
    } catch (error) {
      return trap(error instanceof Error ? error.message : 'script error', 3);
    }
  }

  private async fetch(attributes: Readonly<Record<string, string>>): Promise<Outcome> {
    const outcome = await this.fetchAndRecord(attributes);
    if ('error' in outcome) return trap(`failure: ${outcome.error}`, 4);
    if (outcome.status >= 400)
      return trap(`failure: closing connection: <${outcome.status}> ${attributes['url'] ?? ''}`, 4);
    const row: Record<string, string> = {
      status: 'finished',
      downloaded: String(Math.ceil(outcome.body.length / 1024)),
      total: String(Math.ceil(outcome.body.length / 1024)),
      duration: '1s',
      '.section': '0',
    };
    if (attributes['output'] === 'user') row['data'] = outcome.body.slice(0, 64512);
    return { rows: [row] };
  }

  private async fetchAndRecord(
    args: Readonly<Record<string, string>>,
  ): Promise<FetchOutcome | { error: string }> {
    const url = args['url'] ?? '';
    const method = args['http-method'] ?? 'get';
    const body = args['http-data'];
    let outcome: FetchOutcome | { error: string };
    try {
      outcome = await performFetch({
        url,
        method,
        headers: parseHeaderField(args['http-header-field'] ?? ''),
        body,
        userAgent: `RouterOS ${this.options.version}`,
      });
    } catch (error) {
      outcome = { error: error instanceof Error ? error.message : String(error) };
    }
    this.fetches.push({ at: new Date().toISOString(), url, method, body, outcome });
    return outcome;
  }
}

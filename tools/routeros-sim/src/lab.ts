import { ipv4ToNumber, numberToIpv4, RouterClient } from '@isp/routeros';

import { SimError } from './errors';
import { MndpAnnouncer } from './mndp-announcer';
import type { MndpOptions } from './mndp-announcer';
import { RouterControl } from './router-control';
import { SimRouter } from './sim-router';
import type { Platform } from './sim-router';
import { SimServer } from './sim-server';
import type { TlsMaterial } from './sim-server';
import { readLabState, writeLabState } from './state-file';

export interface LabOptions {
  /** First loopback address; router n listens on host + n. Default 127.0.0.1. */
  readonly host?: string;
  /** API port of every router; 0 picks a free port per router (tests). Default 8728. */
  readonly port?: number;
  readonly count?: number;
  /** RouterOS version; 7.18 and later send `!empty`. Default 7.20. */
  readonly version?: string;
  readonly latencyMs?: number;
  readonly legacyLogin?: boolean;
  readonly adminPassword?: string;
  /** Per router (by index), a "sticker" password instead of `adminPassword`; `undefined` keeps it. */
  readonly adminPasswords?: readonly (string | undefined)[];
  /** Per router (by index), `chr` for a Cloud Hosted Router (no `/system/routerboard`); default `routerboard`. */
  readonly platforms?: readonly (Platform | undefined)[];
  /**
   * Key and certificate api-ssl serves while its `certificate` is `none` (a router would offer
   * anonymous DH then; without this material the connection is closed). Once `/certificate sign`
   * made one and `/ip/service` names it, api-ssl serves that one.
   */
  readonly tls?: TlsMaterial & { readonly port?: number };
  /** api-ssl port of every router; default `tls.port`, else 8729 (0 when `port` is 0). */
  readonly sslPort?: number;
  /** Keep router state in this JSON file across restarts. */
  readonly stateFile?: string;
  /** Every router announces itself (MNDP) to this host:port, periodically and when asked. */
  readonly mndp?: MndpOptions;
}

export interface LabRouter {
  readonly address: string;
  readonly port: number;
  readonly sslPort: number | undefined;
}

export interface Lab {
  readonly routers: readonly LabRouter[];
  /** The control handle of a router, by index or address. */
  control(router: number | string): RouterControl;
  /** A client logged in to a router as admin with the lab's password, as an operator would; close it after. */
  adminClient(router: number | string): Promise<RouterClient>;
  /** Writes the state file now (it is also written on every change, debounced). */
  save(): void;
  close(): Promise<void>;
}

const SAVE_DELAY_MS = 200;

/** Starts `count` simulated routers on consecutive loopback addresses. */
export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const first = ipv4ToNumber(options.host ?? '127.0.0.1');
  const count = options.count ?? 1;
  const saved = options.stateFile === undefined ? undefined : readLabState(options.stateFile);
  const controls: RouterControl[] = [];
  const servers: SimServer[] = [];
  const announcers: MndpAnnouncer[] = [];
  const passwordOf = (index: number): string =>
    options.adminPasswords?.[index] ?? options.adminPassword ?? '';
  let saveTimer: NodeJS.Timeout | undefined;
  const save = (): void => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (options.stateFile === undefined) return;
    writeLabState(
      options.stateFile,
      Object.fromEntries(controls.map((control) => [control.address, control.router.state.serialize()])),
    );
  };
  try {
    for (let index = 0; index < count; index++) {
      const address = numberToIpv4(first + index);
      const router = new SimRouter({
        address,
        version: options.version ?? '7.20',
        ...(options.legacyLogin === undefined ? {} : { legacyLogin: options.legacyLogin }),
        adminPassword: passwordOf(index),
        platform: options.platforms?.[index] ?? 'routerboard',
        ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
      });
      const previous = saved?.[address];
      if (previous !== undefined) router.state.restore(previous);
      if (options.stateFile !== undefined) {
        router.state.subscribe(() => {
          saveTimer ??= setTimeout(save, SAVE_DELAY_MS);
        });
      }
      const server = new SimServer(router);
      servers.push(server);
      await server.listen(options.port ?? 8728, {
        port: options.sslPort ?? options.tls?.port ?? (options.port === 0 ? 0 : 8729),
        ...(options.tls === undefined ? {} : { material: options.tls }),
      });
      let announcer: MndpAnnouncer | undefined;
      if (options.mndp !== undefined) {
        announcer = new MndpAnnouncer(router, options.mndp);
        announcers.push(announcer);
        await announcer.start();
      }
      controls.push(new RouterControl(router, server, announcer));
    }
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()));
    await Promise.all(announcers.map((announcer) => announcer.close()));
    throw error;
  }
  const control = (router: number | string): RouterControl => {
    const found =
      typeof router === 'number'
        ? controls[router]
        : controls.find((candidate) => candidate.address === router);
    if (found === undefined)
      throw new SimError('ISP_ERR_SIM_NO_ROUTER', `no simulated router ${String(router)}`);
    return found;
  };
  return {
    routers: controls.map((c) => ({ address: c.address, port: c.port, sslPort: c.sslPort })),
    control,
    adminClient: (router) => {
      const target = control(router);
      return RouterClient.connect({
        host: target.address,
        port: target.port,
        user: 'admin',
        password: passwordOf(controls.indexOf(target)),
      });
    },
    save,
    close: async () => {
      if (saveTimer !== undefined) save();
      await Promise.all(servers.map((server) => server.close()));
      await Promise.all(announcers.map((announcer) => announcer.close()));
      await Promise.all(controls.map((control) => control.settled()));
    },
  };
}

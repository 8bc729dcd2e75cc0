import type { SidecarMetrics } from '@isp/queue';
import { RouterClient, type CommandTiming, type RouterClientOptions } from '@isp/routeros';
import { ProvisionerError } from '../errors';
import type { RouterCredentials } from './provisioner-odoo';

export interface RouterSessions {
  /** A logged-in client for the router (reused while its credentials stay the same). */
  client(credentials: RouterCredentials): RouterClient;
  closeAll(): Promise<void>;
}

export type RouterClientFactory = (options: RouterClientOptions) => RouterClient;

/**
 * One RouterOS session per router, kept open between jobs (logins cost round trips over
 * Starlink) and closed after `idleMs` without use. The caller holds the router's lock, so a
 * session is never shared by two workers.
 */
export function createRouterSessions(options: {
  readonly timeoutMs: number;
  readonly idleMs?: number;
  readonly factory?: RouterClientFactory;
  /** Where every command's round trip is recorded, by router and result. */
  readonly metrics?: Pick<SidecarMetrics, 'routerRoundTrip'>;
}): RouterSessions {
  const roundTrips = options.metrics?.routerRoundTrip;
  const factory = options.factory ?? ((o: RouterClientOptions) => new RouterClient(o));
  const idleMs = options.idleMs ?? 60_000;
  const sessions = new Map<number, { key: string; client: RouterClient; idle: NodeJS.Timeout }>();

  const drop = (deviceId: number): void => {
    const session = sessions.get(deviceId);
    if (session === undefined) return;
    sessions.delete(deviceId);
    clearTimeout(session.idle);
    void session.client.close().catch(() => undefined);
  };

  return {
    client(credentials) {
      if (credentials.host === '' || credentials.user === '') {
        throw new ProvisionerError(
          'ISP_ERR_PROVISIONER_NO_CREDENTIALS',
          `router ${credentials.name} has no management address or API user`,
        );
      }
      const key = JSON.stringify([
        credentials.host,
        credentials.port,
        credentials.tls,
        credentials.user,
        credentials.password,
      ]);
      const existing = sessions.get(credentials.deviceId);
      if (existing !== undefined && existing.key !== key) drop(credentials.deviceId);
      let session = sessions.get(credentials.deviceId);
      if (session === undefined) {
        const client = factory({
          host: credentials.host,
          port: credentials.port,
          user: credentials.user,
          password: credentials.password,
          tls: credentials.tls,
          timeoutMs: options.timeoutMs,
          ...(roundTrips === undefined
            ? {}
            : {
                onCommand: ({ seconds, result }: CommandTiming) => {
                  roundTrips.observe({ router: String(credentials.deviceId), result }, seconds);
                },
              }),
        });
        session = { key, client, idle: setTimeout(() => undefined, 0) };
        sessions.set(credentials.deviceId, session);
      }
      clearTimeout(session.idle);
      session.idle = setTimeout(() => {
        drop(credentials.deviceId);
      }, idleMs);
      session.idle.unref();
      return session.client;
    },
    async closeAll() {
      const clients = [...sessions.values()].map((s) => s.client);
      for (const id of [...sessions.keys()]) {
        const s = sessions.get(id);
        if (s !== undefined) clearTimeout(s.idle);
      }
      sessions.clear();
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    },
  };
}

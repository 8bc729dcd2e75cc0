import { join } from 'node:path';
import {
  createGatewayRuntime,
  startNoticeServer,
  type GatewayRuntime,
  type NoticeServer,
} from '@isp/gateway';
import { createLogger } from '@isp/logging';
import { createOdooClient, type OdooClient } from '@isp/odoo-client';
import { createProvisionerOdoo, createProvisionerRuntime, type ProvisionerRuntime } from '@isp/provisioner';
import { startControlApi, startLab, type ControlApi, type Lab } from '@isp/routeros-sim';
import {
  adminConnection,
  createTestDatabase,
  dropOdooTestDatabase,
  ensureOdooRole,
  newOdooTestDatabase,
  ODOO_WORK_ROOT,
  freshOdooDatabase,
  installAddons,
  odooErrorLines,
  projectAddons,
  serveForTests,
  sidecarConnection,
  TEST_SUPPORT_ADDONS,
  type OdooCommand,
  type OdooTestContext,
  type OdooTestDatabase,
  type RunningOdoo,
  type TestDatabase,
} from '@isp/testing';
import { z } from 'zod';

/**
 * Loopback addresses of this suite (127.0.80.x): the lab's router, the control API, the gateway
 * and the notice server each on an address of their own, ports picked free.
 */
export const ADDRESSES = {
  router: '127.0.80.1',
  control: '127.0.80.250',
  gateway: '127.0.80.251',
  notice: '127.0.80.252',
} as const;

const SIDECAR_TOKEN = 'e2e-odoo-notify-token';
const MAC_TOKEN = 'e2e-router-webhook-token';

/** What the flows see of the running stack. */
export interface E2eStack {
  readonly odoo: OdooTestContext;
  /** The admin over RPC, for set-up an operator does once (sector, router, plan) and for checks. */
  readonly rpc: OdooClient;
  /** Base URL of the simulator's control API (`POST /routers/<address>/packet`…). */
  readonly controlUrl: string;
  readonly router: { readonly address: string; readonly port: number };
  /** The notice server a suspended customer's plain HTTP is sent to, as `host:port`. */
  readonly noticeAddress: string;
  /** Where Odoo's logs (install.log, server.log) and the database's files live; removed with the database. */
  readonly workDir: string;
  /** Stops everything; drops the queue's database, and Odoo's unless `keep`. */
  stop(options: { readonly keep: boolean }): Promise<void>;
}

type Stopper = () => Promise<void>;

async function stopAll(stoppers: Stopper[]): Promise<void> {
  const errors: unknown[] = [];
  for (const stop of stoppers.reverse()) {
    try {
      await stop();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0)
    throw new Error(
      `stopping the stack: ${errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; ')}`,
    );
}

/** Developers only: `ISP_E2E_DB` names an installed database (of an earlier `--keep` run) to reuse. */
const REUSE_ENV = 'ISP_E2E_DB';

async function installOdoo(odoo: OdooCommand, log: (line: string) => void): Promise<OdooTestDatabase> {
  const reuse = process.env[REUSE_ENV];
  if (reuse !== undefined && reuse !== '') {
    log(`reusing the installed database ${reuse} (${REUSE_ENV})`);
    return newOdooTestDatabase(await ensureOdooRole(), join(ODOO_WORK_ROOT, reuse), reuse);
  }
  const db = await freshOdooDatabase('e2e');
  // The project's addons and Odoo's demo payment provider (test databases only), as the Odoo tier.
  const addons = [...projectAddons(), ...TEST_SUPPORT_ADDONS];
  log(`installing ${addons.join(', ')} into ${db.name}`);
  const run = await installAddons(odoo, db, addons, { logFile: join(db.workDir, 'install.log') });
  if (run.exitCode !== 0) {
    throw new Error(
      `installing the addons failed (exit ${run.exitCode}); log: ${join(db.workDir, 'install.log')}\n${odooErrorLines(run.log).join('\n')}`,
    );
  }
  return db;
}

/**
 * The local stack as `pnpm dev` runs it, on a throwaway database: Odoo 19 with the project's
 * addons, the simulator lab (one router) with its control API, the gateway (with the suspension
 * notice server) and the provisioner, both built by their composition roots as their main.ts does.
 */
export async function startStack(odooCommand: OdooCommand, log: (line: string) => void): Promise<E2eStack> {
  const stoppers: Stopper[] = [];
  const logger = createLogger({ name: 'e2e', level: 'silent' });
  try {
    const db = await installOdoo(odooCommand, log);
    // A reused database is the developer's: never dropped.
    const reused = process.env[REUSE_ENV] !== undefined;
    let keepDb = reused;
    stoppers.push(async () => {
      if (!keepDb) await dropOdooTestDatabase(db);
    });
    const running: RunningOdoo = await serveForTests(odooCommand, db);
    stoppers.push(() => running.stop());
    const odoo = running.context;
    log(`Odoo serving ${db.name} at ${odoo.url}`);

    const lab: Lab = await startLab({ host: ADDRESSES.router, port: 0 });
    stoppers.push(() => lab.close());
    const control: ControlApi = await startControlApi(lab, { host: ADDRESSES.control, port: 0 });
    stoppers.push(() => control.close());
    const router = lab.routers[0];
    if (router === undefined) throw new Error('the lab started without a router');

    const queue: TestDatabase = await createTestDatabase('e2e_queue');
    // Only Odoo's database tells what happened: the queue's is dropped even after a failure.
    stoppers.push(() => queue.drop());
    const gateway: GatewayRuntime = await createGatewayRuntime({
      databaseUrl: queue.url,
      logger,
      applicationName: 'e2e-gateway',
      config: { macToken: MAC_TOKEN, sidecarToken: SIDECAR_TOKEN, rateLimitPerMinute: 600 },
    });
    stoppers.push(() => gateway.close({ graceful: false }));
    await gateway.app.listen({ host: ADDRESSES.gateway, port: 0 });
    const gatewayPort = (gateway.app.server.address() as { port: number }).port;
    const notice: NoticeServer = await startNoticeServer({
      url: `${odoo.url}/isp/suspended`,
      host: ADDRESSES.notice,
      port: 0,
    });
    stoppers.push(() => notice.close());

    const sidecar = createOdooClient({ connection: sidecarConnection(odoo), logger });
    stoppers.push(() => {
      sidecar.close();
      return Promise.resolve();
    });
    const provisioner: ProvisionerRuntime = await createProvisionerRuntime({
      databaseUrl: queue.url,
      odoo: createProvisionerOdoo(sidecar),
      logger,
      applicationName: 'e2e-provisioner',
      lockWaitMs: 10_000,
      settings: {
        dryRun: false,
        batchSize: 50,
        concurrency: 2,
        sweepSeconds: 2,
        leaseBatch: 100,
        routerTimeoutMs: 10_000,
      },
    });
    stoppers.push(() => provisioner.stop({ graceful: false }));

    const rpc = createOdooClient({ connection: adminConnection(odoo), logger });
    stoppers.push(() => {
      rpc.close();
      return Promise.resolve();
    });
    // What `pnpm dev` sets on every start: Odoo tells the gateway of new jobs; suspended
    // customers' plain HTTP goes to the notice server.
    const params: Record<string, string> = {
      'isp_core.sidecar_url': `http://${ADDRESSES.gateway}:${gatewayPort}`,
      'isp_core.sidecar_token': SIDECAR_TOKEN,
      'isp_core.mac_onboarding_token': MAC_TOKEN,
      'isp_core.suspended_redirect_address': `${ADDRESSES.notice}:${notice.port}`,
    };
    for (const [key, value] of Object.entries(params)) {
      await rpc.callMethod('ir.config_parameter', 'set_param', undefined, { key, value }, z.unknown());
    }
    return {
      odoo,
      rpc,
      controlUrl: `http://${control.address}`,
      router: { address: router.address, port: router.port },
      noticeAddress: `${ADDRESSES.notice}:${notice.port}`,
      workDir: db.workDir,
      stop: async ({ keep }) => {
        keepDb = keep || reused;
        await stopAll(stoppers);
      },
    };
  } catch (err) {
    await stopAll(stoppers).catch(() => undefined);
    throw err;
  }
}

// What an operator checks on a fresh stack, each as one named step.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@isp/testing';
import { z } from 'zod';
import { ROOT } from './engine';
import { json2, odooAdmin, odooLogin, type OdooAdmin } from './odoo-rpc';
import { copyScreens, DESKTOP, missingBrowser, PHONE, ScreenShooter, type Screen } from './screens';
import type { Stack } from './stack';

/** Runs one named step; a string `body` returns (a measurement) is printed beside its name. */
export type Check = (name: string, body: () => Promise<unknown>) => Promise<void>;

const LAB_FIRST_PORT = 8728;
/** A demo customer with a portal user (compose/odoo/demo.py). */
const DEMO_PORTAL_LOGIN = 'ana.rosario@example.com';
/** The lab's first router, by the address the simulator knows it under (see scripts/lab/main.ts). */
const LAB_ROUTER_1 = '127.0.0.1';

function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const routerRowSchema = z.record(z.string(), z.string());
const routerReadSchema = z.array(
  z.object({
    port: z.number(),
    identity: z.string(),
    serial: z.string(),
    leases: z.array(routerRowSchema),
    queues: z.array(routerRowSchema),
  }),
);
export type RouterRead = z.infer<typeof routerReadSchema>[number];

export class StackChecks {
  private adminClient: OdooAdmin | undefined;

  constructor(
    private readonly stack: Stack,
    private readonly check: Check,
  ) {}

  private get values(): Readonly<Record<string, string>> {
    return this.stack.env.values;
  }

  private get odooUrl(): string {
    return `http://127.0.0.1:${String(this.stack.env.odooPort)}`;
  }

  private get db(): string {
    return this.values['ODOO_DB'] ?? '';
  }

  async admin(): Promise<OdooAdmin> {
    this.adminClient ??= await odooAdmin(this.odooUrl, this.db, this.values['ODOO_ADMIN_PASSWORD'] ?? '');
    return this.adminClient;
  }

  /** The lab's routers read over the RouterOS API from inside the provisioner's container. */
  async readLab(): Promise<RouterRead[]> {
    const ports = Array.from({ length: this.stack.env.labRouters }, (_, i) => LAB_FIRST_PORT + i);
    const params = JSON.stringify({
      host: this.stack.env.labAddress,
      ports,
      password: this.values['LAB_ROUTER_PASSWORD'] ?? '',
    });
    const out = await this.stack.node(
      'provisioner',
      `import { RouterClient } from './packages/routeros/src/index.ts';
       const { host, ports, password } = ${params};
       const routers = [];
       for (const port of ports) {
         const client = await RouterClient.connect({ host, port, user: 'admin', password, timeoutMs: 10000 });
         const [identity] = await client.print('/system/identity');
         const [board] = await client.print('/system/routerboard');
         routers.push({ port, identity: identity?.name ?? '', serial: board?.['serial-number'] ?? '',
           leases: await client.print('/ip/dhcp-server/lease'), queues: await client.print('/queue/simple') });
         await client.close();
       }
       process.stdout.write(JSON.stringify(routers));`,
    );
    return routerReadSchema.parse(JSON.parse(out));
  }

  /** A POST to the lab simulator's control API, from inside the lab's container (it listens on loopback). */
  async labControl(path: string, body: unknown): Promise<void> {
    await this.stack.node(
      'routeros-lab',
      `const response = await fetch('http://127.0.0.1:8720${path}', { method: 'POST',
         headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(JSON.stringify(body))} });
       if (!response.ok) { console.error(response.status, await response.text()); process.exit(1); }`,
    );
  }

  async fresh(): Promise<void> {
    await this.check("Odoo's login page, on 127.0.0.1 only", async () => {
      const response = await fetch(`${this.odooUrl}/web/login`);
      const page = await response.text();
      expect(response.status === 200, `GET /web/login answered ${String(response.status)}`);
      expect(page.includes('name="login"'), 'the login page has no login field');
      const ports = await this.stack.published('odoo');
      expect(
        ports.every((p) => p.startsWith('127.0.0.1:')),
        `Odoo published on ${ports.join(', ')}, not 127.0.0.1 only`,
      );
    });

    await this.check(
      "Leaflet served by Odoo from a clone where pnpm never ran (the image's copy)",
      async () => {
        const hostCopy = join(this.stack.dir, 'odoo-addons/isp_core/static/lib');
        expect(!existsSync(hostCopy), `${hostCopy} exists: the stack does not run from a fresh clone`);
        for (const [path, mark] of [
          ['/isp_core/static/lib/leaflet/leaflet.js', 'Leaflet'],
          ['/isp_core/static/lib/leaflet/leaflet.css', '.leaflet-container'],
          ['/isp_core/static/lib/leaflet/images/marker-icon.png', 'PNG'],
          ['/isp_core/static/lib/supercluster/supercluster.min.js', 'Supercluster'],
        ] as const) {
          const response = await fetch(`${this.odooUrl}${path}`);
          const body = await response.text();
          expect(response.status === 200, `GET ${path} answered ${String(response.status)}`);
          expect(body.includes(mark), `GET ${path} is not what the npm package ships`);
        }
      },
    );

    await this.check('admin has ODOO_ADMIN_PASSWORD, admin/admin is refused', async () => {
      expect((await odooLogin(this.odooUrl, this.db, 'admin', 'admin')) === undefined, 'admin/admin logs in');
      await this.admin();
    });

    await this.check('the project addons installed', async () => {
      const addons =
        /^ADDONS=(.+)$/m.exec(readFileSync(join(ROOT, 'compose/odoo/init.sh'), 'utf8'))?.[1]?.split(',') ??
        [];
      expect(addons.includes('isp_core'), 'init.sh names no addons');
      const modules = await (
        await this.admin()
      ).searchRead(
        'ir.module.module',
        [['name', 'in', addons]],
        ['name', 'state'],
        z.object({ name: z.string(), state: z.string() }),
      );
      const installed = modules.filter((m) => m.state === 'installed').map((m) => m.name);
      const missing = addons.filter((a) => !installed.includes(a));
      expect(missing.length === 0, `not installed: ${missing.join(', ')}`);
    });

    await this.check('the sidecar user, its API key (JSON-2) and the tokens in place', async () => {
      const admin = await this.admin();
      const [user] = await admin.searchRead(
        'res.users',
        [['login', '=', 'isp_sidecar']],
        ['id'],
        z.object({ id: z.number() }),
      );
      expect(user !== undefined, 'no user isp_sidecar');
      const reply = await json2(
        this.odooUrl,
        this.db,
        this.values['ODOO_SIDECAR_API_KEY'] ?? '',
        'res.users',
        'has_group',
        {
          ids: [user.id],
          group_ext_id: 'isp_core.group_isp_sidecar',
        },
      );
      expect(reply.status === 200 && reply.body === true, `JSON-2 as isp_sidecar: ${JSON.stringify(reply)}`);
      const param = async (key: string): Promise<unknown> =>
        admin.call('ir.config_parameter', 'get_param', [key]);
      expect(
        (await param('isp_core.sidecar_token')) === this.values['ISP_SIDECAR_TOKEN'],
        'sidecar_token differs',
      );
      expect(
        (await param('isp_core.mac_onboarding_token')) === this.values['ISP_MAC_TOKEN'],
        'mac token differs',
      );
      expect(
        (await param('isp_core.sidecar_url')) === `http://gateway:${String(this.stack.env.gatewayPort)}`,
        'sidecar_url is not the gateway',
      );
    });

    await this.check('gateway /readyz 200', async () => {
      // Ready follows Odoo, which a loaded machine may keep busy past the probe's 2.5 s for a moment.
      let last = '';
      await waitFor(
        '/readyz 200',
        async () => {
          const response = await fetch(`http://127.0.0.1:${String(this.stack.env.gatewayPort)}/readyz`);
          last = `${String(response.status)}: ${await response.text()}`;
          return response.status === 200;
        },
        { timeoutMs: 30_000, intervalMs: 1_000 },
      ).catch((err: unknown) => {
        throw new Error(`/readyz answered ${last}`, { cause: err });
      });
    });

    await this.check('provisioner /healthz 200', async () => {
      await this.stack.node(
        'provisioner',
        `const r = await fetch('http://127.0.0.1:9464/healthz'); if (r.status !== 200) process.exit(1);`,
      );
    });

    await this.check('the lab routers registered in Odoo and reachable from the provisioner', async () => {
      const admin = await this.admin();
      const devices = await this.labDevices();
      expect(
        devices.length === this.stack.env.labRouters,
        `${String(devices.length)} lab routers in Odoo, LAB_ROUTERS=${String(this.stack.env.labRouters)}`,
      );
      expect(
        devices.every((d) => d.mgmt_ip === this.stack.env.labAddress && d.api_password_set),
        'a lab router without its address or password',
      );
      const routers = await this.readLab();
      expect(routers.length === this.stack.env.labRouters, 'the lab answers for fewer routers');
      // The provisioner's own way: a connection test queued in Odoo marks the routers online.
      await admin.call('isp.device', 'action_test_connection', [devices.map((d) => d.id)]);
      await waitFor(
        'the lab routers online in Odoo',
        async () => (await this.labDevices()).every((d) => d.status === 'online' && d.serial !== false),
        { timeoutMs: 120_000, intervalMs: 1_000 },
      );
    });
  }

  async labDevices(): Promise<
    {
      id: number;
      mgmt_ip: string;
      api_port: number;
      api_password_set: boolean;
      status: string;
      serial: string | false;
    }[]
  > {
    return (await this.admin()).searchRead(
      'isp.device',
      [['sector_id.code', '=', 'LAB']],
      ['mgmt_ip', 'api_port', 'api_password_set', 'status', 'serial'],
      z.object({
        id: z.number(),
        mgmt_ip: z.string(),
        api_port: z.number(),
        api_password_set: z.boolean(),
        status: z.string(),
        serial: z.union([z.string(), z.literal(false)]),
      }),
    );
  }

  /** A DHCP lease as the lab router's lease-script posts it; it must become a MAC profile on that router. */
  async leaseBecomesProfile(): Promise<void> {
    await this.check('a lease posted to the gateway becomes a MAC profile in Odoo', async () => {
      const [device] = (await this.labDevices()).filter((d) => d.api_port === LAB_FIRST_PORT);
      expect(device !== undefined && device.serial !== false, 'lab router 1 has no serial in Odoo');
      const mac = '02:57:00:00:00:01';
      const response = await fetch(`http://127.0.0.1:${String(this.stack.env.gatewayPort)}/v1/dhcp/lease`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${this.values['ISP_MAC_TOKEN'] ?? ''}`,
        },
        body: JSON.stringify({
          mac,
          ip: '192.168.88.254',
          bound: true,
          server: 'dhcp1',
          hostname: 'onu-stack-test',
          router: device.serial,
          serial: device.serial,
        }),
      });
      expect(
        response.status === 202,
        `the gateway answered ${String(response.status)}: ${await response.text()}`,
      );
      const profileSchema = z.object({
        device_id: z.union([z.tuple([z.number(), z.string()]), z.literal(false)]),
      });
      let profiles: z.infer<typeof profileSchema>[] = [];
      await waitFor(
        'the MAC profile in Odoo',
        async () => {
          profiles = await (
            await this.admin()
          ).searchRead('isp.mac.profile', [['mac_address', '=', mac]], ['device_id'], profileSchema);
          return profiles.length === 1;
        },
        { timeoutMs: 60_000, intervalMs: 1_000 },
      );
      const router = profiles[0]?.device_id;
      expect(
        router !== false && router?.[0] === device.id,
        `the profile's router is ${JSON.stringify(router)}`,
      );
    });
  }

  /** A customer on lab router 1 (static DHCP), activated in Odoo; returns its reference (isp:<name> on the router). */
  async createSubscription(label: string, mac: string, ip: string): Promise<{ id: number; name: string }> {
    const admin = await this.admin();
    const [device] = (await this.labDevices()).filter((d) => d.api_port === LAB_FIRST_PORT);
    expect(device !== undefined, 'no lab router 1');
    const [sector] = await admin.searchRead(
      'isp.sector',
      [['code', '=', 'LAB']],
      ['id'],
      z.object({ id: z.number() }),
    );
    const plan = z
      .number()
      .parse(
        await admin.call('isp.service_plan', 'create', [
          { name: `Stack ${label} 20/5`, down_mbps: 20, up_mbps: 5, price: 25 },
        ]),
      );
    const partner = z
      .number()
      .parse(await admin.call('res.partner', 'create', [{ name: `Stack customer ${label}` }]));
    const id = z.number().parse(
      await admin.call('isp.subscription', 'create', [
        {
          partner_id: partner,
          plan_id: plan,
          sector_id: sector?.id,
          device_id: device.id,
          dhcp_mode: 'static',
          service_mac: mac,
          service_ip: ip,
          gps_lat: 18.4861,
          gps_lng: -69.9312,
        },
      ]),
    );
    await admin.call('isp.subscription', 'action_activate', [[id]]);
    const [sub] = await admin.searchRead(
      'isp.subscription',
      [['id', '=', id]],
      ['name'],
      z.object({ name: z.string() }),
    );
    return { id, name: sub?.name ?? '' };
  }

  async jobStates(subscriptionId: number): Promise<string[]> {
    const jobs = await (
      await this.admin()
    ).searchRead(
      'isp.provisioning_job',
      [['subscription_id', '=', subscriptionId]],
      ['state'],
      z.object({ state: z.string() }),
    );
    return jobs.map((j) => j.state);
  }

  /** How many rows of lab router 1 carry the subscription's owner tag, in its leases and queues. */
  async ownedOnRouter(name: string): Promise<{ leases: number; queues: number }> {
    const [router] = await this.readLab();
    expect(router !== undefined, 'the lab has no router');
    const owned = (rows: Record<string, string>[]): number =>
      rows.filter((r) => r['comment'] === `isp:${name}`).length;
    return { leases: owned(router.leases), queues: owned(router.queues) };
  }

  async subscriptionReachesRouter(): Promise<{ id: number; name: string }> {
    let sub = { id: 0, name: '' };
    await this.check('a subscription activated in Odoo reaches the lab router', async () => {
      sub = await this.createSubscription('A', 'AA:57:00:00:00:01', '192.168.88.201');
      await waitFor(
        'its activation job done',
        async () => (await this.jobStates(sub.id)).every((s) => s === 'success'),
        {
          timeoutMs: 120_000,
          intervalMs: 1_000,
        },
      );
      const owned = await this.ownedOnRouter(sub.name);
      expect(owned.leases === 1 && owned.queues === 1, `on the router: ${JSON.stringify(owned)}`);
    });
    return sub;
  }

  /** What must survive `down` and `up`: logins, records, the router's state, and init changing nothing. */
  async snapshot(subscriptionId: number): Promise<string> {
    const admin = await this.admin();
    const read = async (model: string, domain: unknown[], fields: string[]): Promise<unknown> =>
      admin.call(model, 'search_read', [domain], { fields, order: 'id' });
    return JSON.stringify({
      admin: await read('res.users', [['login', '=', 'admin']], ['write_date']),
      sidecar: await read('res.users', [['login', '=', 'isp_sidecar']], ['write_date', 'group_ids']),
      params: await read(
        'ir.config_parameter',
        [['key', 'like', 'isp_core.%']],
        ['key', 'value', 'write_date'],
      ),
      devices: await read('isp.device', [], ['name', 'mgmt_ip', 'api_port', 'api_user']),
      subscription: await read('isp.subscription', [['id', '=', subscriptionId]], ['name', 'state']),
    });
  }

  async survivesDownUp(
    subscription: { id: number; name: string },
    upAgain: () => Promise<void>,
  ): Promise<void> {
    await this.check(
      'docker-compose down and up again keep the data (and odoo-init changes nothing)',
      async () => {
        const before = await this.snapshot(subscription.id);
        await upAgain();
        this.adminClient = undefined;
        const after = await this.snapshot(subscription.id);
        expect(before === after, `Odoo changed across down/up:\nbefore ${before}\nafter  ${after}`);
        const owned = await this.ownedOnRouter(subscription.name);
        expect(
          owned.leases === 1 && owned.queues === 1,
          `the lab router lost its state: ${JSON.stringify(owned)}`,
        );
      },
    );
  }

  /**
   * A slow router, a job in flight, the provisioner's process killed outright (SIGKILL from the
   * host, as the kernel's OOM killer does): the engine's restart policy brings the container back,
   * pg-boss hands the job of the dead worker to the new one once its heartbeat is missed, and the
   * job ends done, once. Returns how long each part took.
   */
  async crashFinishesInFlight(): Promise<void> {
    await this.check(
      'a provisioner killed (SIGKILL) with a job in flight comes back and finishes it',
      async () => {
        await this.labControl(`/routers/${LAB_ROUTER_1}/faults`, { latency_ms: 1_500 });
        try {
          const sub = await this.createSubscription('C', 'AA:57:00:00:00:03', '192.168.88.203');
          await waitFor('its job running', async () => (await this.jobStates(sub.id)).includes('running'), {
            timeoutMs: 60_000,
            intervalMs: 200,
          });
          const before = await this.stack.startedAt('provisioner');
          const killed = performance.now();
          await this.stack.killProcess('provisioner');
          await this.labControl(`/routers/${LAB_ROUTER_1}/faults`, { latency_ms: 0 });
          await waitFor(
            'the provisioner container restarted by its restart policy',
            async () => (await this.stack.startedAt('provisioner')) !== before,
            { timeoutMs: 60_000, intervalMs: 500 },
          );
          const back = performance.now();
          await waitFor(
            'its job done',
            async () => (await this.jobStates(sub.id)).every((s) => s === 'success'),
            { timeoutMs: 180_000, intervalMs: 500 },
          );
          const done = performance.now();
          const owned = await this.ownedOnRouter(sub.name);
          expect(owned.leases === 1 && owned.queues === 1, `on the router: ${JSON.stringify(owned)}`);
          const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
          return `container back ${s(back - killed)} after the kill, job done ${s(done - killed)} after it`;
        } finally {
          await this.labControl(`/routers/${LAB_ROUTER_1}/faults`, { latency_ms: 0 }).catch(() => undefined);
        }
      },
    );
  }

  /** A slow router, a job in flight, the provisioner container restarted: the job still ends done, once. */
  async restartFinishesInFlight(restart: () => Promise<void>): Promise<void> {
    await this.check('a restarted provisioner container finishes the work in flight', async () => {
      await this.labControl(`/routers/${LAB_ROUTER_1}/faults`, { latency_ms: 1_500 });
      try {
        const sub = await this.createSubscription('B', 'AA:57:00:00:00:02', '192.168.88.202');
        await waitFor('its job running', async () => (await this.jobStates(sub.id)).includes('running'), {
          timeoutMs: 60_000,
          intervalMs: 200,
        });
        await restart();
        await this.labControl(`/routers/${LAB_ROUTER_1}/faults`, { latency_ms: 0 });
        await waitFor(
          'its job done',
          async () => (await this.jobStates(sub.id)).every((s) => s === 'success'),
          {
            timeoutMs: 180_000,
            intervalMs: 1_000,
          },
        );
        const owned = await this.ownedOnRouter(sub.name);
        expect(owned.leases === 1 && owned.queues === 1, `on the router: ${JSON.stringify(owned)}`);
      } finally {
        await this.labControl(`/routers/${LAB_ROUTER_1}/faults`, { latency_ms: 0 }).catch(() => undefined);
      }
    });
  }

  /**
   * The operator turns the demo on (ISP_DEMO=1 in .env) and runs `up` again: odoo-init loads it,
   * the provisioner applies its subscriptions to the lab routers.
   */
  async demoLoaded(upWithDemo: () => Promise<void>): Promise<void> {
    await this.check('ISP_DEMO=1 and up again: the demo data loaded and applied to the lab', async () => {
      await upWithDemo();
      this.adminClient = undefined;
      const admin = await this.admin();
      const subscriptions = z.number().parse(await admin.call('isp.subscription', 'search_count', [[]]));
      expect(subscriptions >= 24, `${String(subscriptions)} subscriptions after the demo`);
      const jobStates = async (): Promise<string[]> =>
        (await admin.searchRead('isp.provisioning_job', [], ['state'], z.object({ state: z.string() }))).map(
          (j) => j.state,
        );
      await waitFor(
        'every provisioning job finished',
        async () => (await jobStates()).every((s) => s !== 'queued' && s !== 'running'),
        { timeoutMs: 300_000, intervalMs: 2_000 },
      );
      const states = await jobStates();
      const failed = states.filter((s) => s === 'failed').length;
      expect(failed === 0, `${String(failed)} provisioning jobs failed`);
      return `${String(subscriptions)} subscriptions, ${String(states.length)} jobs done`;
    });
  }

  /** The back-office screens of the demo data, each by its action's URL. */
  private async screens(): Promise<Screen[]> {
    const admin = await this.admin();
    const idOf = async (model: string, domain: unknown[]): Promise<number> => {
      const [record] = await admin.searchRead(model, domain, ['id'], z.object({ id: z.number() }));
      expect(record !== undefined, `no ${model} ${JSON.stringify(domain)}`);
      return record.id;
    };
    const subscription = await idOf('isp.subscription', [['partner_id.name', '=', 'Ana Rosario']]);
    const router = await idOf('isp.device', [['name', '=', 'Lab router 1']]);
    const action = (xmlid: string, record?: number): string =>
      `/odoo/action-${xmlid}${record === undefined ? '' : `/${String(record)}`}`;
    const list = '.o_list_view .o_data_row';
    const form = '.o_form_view .o_form_sheet';
    const screens: Screen[] = [
      { name: 'dashboard', path: action('isp_core.isp_dashboard_action'), ready: '.o_isp_dashboard_tile' },
      { name: 'subscriptions', path: action('isp_core.isp_subscription_action'), ready: list },
      {
        name: 'subscription-form',
        path: action('isp_core.isp_subscription_action', subscription),
        ready: form,
      },
      { name: 'routers', path: action('isp_core.isp_device_action'), ready: list },
      { name: 'router-form', path: action('isp_core.isp_device_action', router), ready: form },
      { name: 'plans', path: action('isp_core.isp_service_plan_action'), ready: list },
      { name: 'sectors', path: action('isp_core.isp_sector_action'), ready: list },
      { name: 'provisioning-jobs', path: action('isp_core.isp_provisioning_job_action'), ready: list },
      { name: 'audit-log', path: action('isp_core.isp_audit_log_action'), ready: list },
      { name: 'fault-tickets', path: action('isp_core.isp_fault_ticket_action'), ready: list },
      {
        name: 'bank-transfers',
        path: action('isp_billing.isp_bank_transfer_payment_action'),
        ready: list,
      },
      {
        name: 'settings',
        path: action('isp_core.res_config_settings_action'),
        ready: '.o_setting_container',
      },
    ];
    // The map of the subscriptions, once isp_core has the view (isp_map).
    const [actionRef] = await admin.searchRead(
      'ir.model.data',
      [
        ['module', '=', 'isp_core'],
        ['name', '=', 'isp_subscription_action'],
      ],
      ['res_id'],
      z.object({ res_id: z.number() }),
    );
    const [subscriptionAction] = await admin.searchRead(
      'ir.actions.act_window',
      [['id', '=', actionRef?.res_id ?? 0]],
      ['view_mode'],
      z.object({ view_mode: z.string() }),
    );
    if (subscriptionAction?.view_mode.split(',').includes('isp_map')) {
      screens.push({
        name: 'map',
        path: `${action('isp_core.isp_subscription_action')}?view_type=isp_map`,
        ready: '.o_isp_map_marker, .o_isp_map_cluster',
      });
    }
    return screens;
  }

  /**
   * Each main screen in headless Chromium, saved as a PNG in `dir` (and copied to `copyTo` when
   * given): the login page and the back office as the admin at 1440×900, the customer portal of a
   * demo customer at the same size and a phone's.
   */
  async screenshots(dir: string, copyTo: string | undefined, log: (line: string) => void): Promise<void> {
    await this.check('a screenshot of each main screen', async () => {
      const missing = missingBrowser();
      if (missing !== undefined) return `skipped: ${missing}`;
      const shooter = new ScreenShooter(this.odooUrl, dir, log);
      await shooter.backOffice(this.values['ODOO_ADMIN_PASSWORD'] ?? '', await this.screens());
      const password = this.values['ISP_DEMO_PORTAL_PASSWORD'] ?? '';
      await shooter.portal(DEMO_PORTAL_LOGIN, password, DESKTOP, false, 'portal');
      await shooter.portal(DEMO_PORTAL_LOGIN, password, PHONE, true, 'portal-phone');
      if (copyTo === undefined) return `in ${dir}`;
      return `${String(copyScreens(dir, copyTo).length)} copied to ${copyTo}`;
    });
  }
}

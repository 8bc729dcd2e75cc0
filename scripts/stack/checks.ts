// What an operator checks on a fresh stack, each as one named step.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@isp/testing';
import { z } from 'zod';
import { ROOT } from './engine';
import { json2, odooAdmin, odooLogin, type OdooAdmin } from './odoo-rpc';
import type { Stack } from './stack';

export type Check = (name: string, body: () => Promise<void>) => Promise<void>;

const LAB_FIRST_PORT = 8728;
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
      `const { RouterClient } = await import('/app/packages/routeros/src/index.ts');
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
      const response = await fetch(`http://127.0.0.1:${String(this.stack.env.gatewayPort)}/readyz`);
      expect(
        response.status === 200,
        `/readyz answered ${String(response.status)}: ${await response.text()}`,
      );
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
}

import { join } from 'node:path';
import pg from 'pg';
import {
  dropOdooTestDatabase,
  findOdoo,
  freshOdooDatabase,
  installProjectAddons,
  odooErrorLines,
  resolvePostgres,
  runOdooShell,
  type OdooCommand,
  type OdooTestDatabase,
} from '@isp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLoaderScript, parseDemoReport, type DemoReport } from './odoo-dev';

// The loader stores router passwords encrypted: the shell needs a key (a throwaway one here).
process.env['ISP_FERNET_KEY'] ??= 'aXNwLXRlc3QtZmVybmV0LWtleS1ub3Qtc2VjcmV0ISE=';

const SETTINGS = {
  ISP_DEMO_ROUTERS: '127.0.0.10:8728/lab-router-1,127.0.0.11:8728/lab-router-2,127.0.0.12:8728/lab-router-3',
  ISP_DEMO_ROUTER_PASSWORD: 'lab-router-pw',
  ISP_DEMO_PORTAL_PASSWORD: 'portal-demo',
};

interface AddonsDatabase {
  readonly odoo: OdooCommand;
  readonly db: OdooTestDatabase;
  readonly sql: pg.Client;
}

/** A fresh database with the project's addons (no demo data yet) for the calling describe block, with a SQL client on it. */
function useAddonsDatabase(label: string): () => AddonsDatabase {
  let current: AddonsDatabase | undefined;
  beforeAll(async () => {
    const odoo = await findOdoo();
    if (odoo === undefined) throw new Error('no Odoo 19 found');
    const db = await freshOdooDatabase(label);
    const install = await installProjectAddons(odoo, db, false);
    if (install.exitCode !== 0) throw new Error(odooErrorLines(install.log).join('\n'));
    const url = new URL((await resolvePostgres()).adminUrl);
    url.pathname = `/${db.name}`;
    const sql = new pg.Client({ connectionString: url.toString() });
    await sql.connect();
    current = { odoo, db, sql };
  });
  afterAll(async () => {
    if (current === undefined) return;
    await current.sql.end();
    await dropOdooTestDatabase(current.db);
  });
  return () => {
    if (current === undefined) throw new Error('the database is not ready');
    return current;
  };
}

describe('the demo data loader (pnpm dev, and the compose stack with ISP_DEMO=1)', () => {
  const database = useAddonsDatabase('demo');
  const runs: DemoReport[] = [];

  const load = async (): Promise<DemoReport> => {
    const { odoo, db } = database();
    const logFile = join(db.workDir, `demo-${runs.length}.log`);
    const run = await runOdooShell(odoo, db, demoLoaderScript(SETTINGS), logFile);
    const report = parseDemoReport(run.log);
    if (run.exitCode !== 0 || report === undefined) throw new Error(`the demo loader failed; see ${logFile}`);
    runs.push(report);
    return report;
  };
  const count = async (query: string): Promise<number> =>
    Number((await database().sql.query<{ n: string }>(query)).rows[0]?.n ?? 0);

  it('loads sectors, plans, routers with passwords, customers in every state, billing and tickets', async () => {
    const report = await load();
    expect(report.created).toBeGreaterThan(60);
    expect(report.routers.map((r) => r.identity)).toEqual(['lab-router-1', 'lab-router-2', 'lab-router-3']);
    expect(Object.values(report.macs).flat().length).toBeGreaterThan(15);
    expect(report.portal_logins).toContain('ana.rosario@example.com');

    expect(await count('SELECT count(*) AS n FROM isp_sector')).toBe(2);
    expect(await count('SELECT count(*) AS n FROM isp_device WHERE api_password_token IS NOT NULL')).toBe(3);
    const states = await database().sql.query<{ state: string; n: string }>(
      'SELECT state, count(*) AS n FROM isp_subscription GROUP BY state',
    );
    expect(Object.fromEntries(states.rows.map((r) => [r.state, Number(r.n)]))).toEqual({
      draft: 3,
      active: 14,
      suspended: 4,
      terminated: 3,
    });
    expect(
      await count(
        "SELECT count(*) AS n FROM account_move WHERE move_type = 'out_invoice' AND state = 'posted' " +
          "AND payment_state = 'not_paid' AND invoice_date_due < current_date",
      ),
    ).toBeGreaterThan(5);
    expect(await count("SELECT count(*) AS n FROM isp_bank_transfer_payment WHERE state = 'review'")).toBe(3);
    expect(await count("SELECT count(*) AS n FROM isp_bank_transfer_payment WHERE state = 'applied'")).toBe(
      1,
    );
    expect(
      await count("SELECT count(*) AS n FROM isp_fault_ticket WHERE state IN ('new', 'in_progress')"),
    ).toBe(3);
    expect(await count("SELECT count(*) AS n FROM isp_plan_change_request WHERE state = 'requested'")).toBe(
      1,
    );
    expect(
      await count("SELECT count(*) AS n FROM isp_provisioning_job WHERE state = 'queued'"),
    ).toBeGreaterThan(0);
    expect(await count('SELECT count(*) AS n FROM res_users WHERE share AND active')).toBe(3);
    expect(
      await count(
        'SELECT count(*) AS n FROM res_users u JOIN ir_model_data d ON d.res_id = u.action_id ' +
          "AND d.model = 'ir.actions.client' AND d.name = 'isp_dashboard_action' WHERE u.login = 'admin'",
      ),
    ).toBe(1);
  });

  it('changes nothing when run again', async () => {
    const before = await count(
      'SELECT (SELECT count(*) FROM res_partner) + (SELECT count(*) FROM isp_subscription) + ' +
        '(SELECT count(*) FROM account_move) + (SELECT count(*) FROM isp_bank_transfer_payment) + ' +
        '(SELECT count(*) FROM isp_fault_ticket) + (SELECT count(*) FROM isp_device) AS n',
    );
    const tokens = async (): Promise<string[]> =>
      (
        await database().sql.query<{ t: string }>(
          'SELECT api_password_token AS t FROM isp_device ORDER BY id',
        )
      ).rows.map((r) => r.t);
    const storedBefore = await tokens();
    const again = await load();
    // The router passwords are not stored again (a new Fernet token each time) when unchanged.
    expect(await tokens()).toEqual(storedBefore);
    expect(again.created).toBe(0);
    expect(again.routers).toEqual(runs[0]?.routers);
    expect(
      await count(
        'SELECT (SELECT count(*) FROM res_partner) + (SELECT count(*) FROM isp_subscription) + ' +
          '(SELECT count(*) FROM account_move) + (SELECT count(*) FROM isp_bank_transfer_payment) + ' +
          '(SELECT count(*) FROM isp_fault_ticket) + (SELECT count(*) FROM isp_device) AS n',
      ),
    ).toBe(before);
  });
});

describe('the demo data loader over lab routers registered before it (compose: ISP_DEMO=1 set later)', () => {
  const database = useAddonsDatabase('demolab');

  it("places their customers around the demo's sectors (the Lab sector has no position), so they can be activated", async () => {
    const { odoo, db, sql } = database();
    // As compose's odoo-init registers the lab without the demo (sector Lab, no GPS position), the
    // identity the provisioner's health check then reads.
    const register = await runOdooShell(
      odoo,
      db,
      `sector = env['isp.sector'].create({'name': "Lab", 'code': 'LAB'})
for port in (8728, 8729):
    env['isp.device'].create({'name': f"Lab router {port - 8727}", 'sector_id': sector.id,
                              'mgmt_ip': '127.0.0.10', 'api_port': port, 'api_user': 'admin',
                              'identity': 'MikroTik'})
env.cr.commit()
`,
      join(db.workDir, 'register.log'),
    );
    expect(register.exitCode, odooErrorLines(register.log).join('\n')).toBe(0);
    const run = await runOdooShell(
      odoo,
      db,
      demoLoaderScript({ ...SETTINGS, ISP_DEMO_ROUTERS: '127.0.0.10:8728,127.0.0.10:8729' }),
      join(db.workDir, 'demo.log'),
    );
    expect(run.exitCode, odooErrorLines(run.log).join('\n')).toBe(0);
    expect(parseDemoReport(run.log)?.routers.map((r) => r.port)).toEqual([8728, 8729]);
    const rows = await sql.query<{ state: string; sector: string; placed: boolean }>(
      `SELECT sub.state, sector.code AS sector, (sub.gps_lat != 0 OR sub.gps_lng != 0) AS placed
         FROM isp_subscription sub JOIN isp_sector sector ON sector.id = sub.sector_id`,
    );
    expect(rows.rows).toHaveLength(24);
    // They stay on their routers' sector; none is left at 0/0, which activation refuses.
    expect(rows.rows.every((r) => r.sector === 'LAB' && r.placed)).toBe(true);
    expect(rows.rows.filter((r) => r.state === 'active')).toHaveLength(14);
    // The routers stand where their customers are, so the maps show them too.
    const routers = await sql.query<{ placed: boolean }>(
      'SELECT (gps_lat != 0 OR gps_lng != 0) AS placed FROM isp_device',
    );
    expect(routers.rows.map((r) => r.placed)).toEqual([true, true]);
  });
});

/**
 * Power-cut burst: 5,000 distinct DHCP leases posted by 20 routers within 10 s to the gateway,
 * drained by the provisioner into a real Odoo 19 (isp_core installed in a throwaway database).
 * Prints errors, seconds until all 5,000 MAC profiles exist in Odoo (goal ≤ 60 s) and the number
 * of Odoo calls used (goal ≤ 60). Needs Odoo 19 (ODOO_HOME or odoo on PATH); ISP_ODOO_TEST_CONTEXT
 * reuses a running test Odoo.
 * Run: pnpm exec tsx bench/lease-burst.ts
 */
import { createGatewayRuntime } from '@isp/gateway';
import { createLogger } from '@isp/logging';
import { createOdooClient } from '@isp/odoo-client';
import { createProvisionerOdoo, createProvisionerRuntime } from '@isp/provisioner';
import { adminConnection, createTestDatabase, sidecarConnection, startBenchOdoo } from '@isp/testing';
import { z } from 'zod';

const LEASES = Number(process.env['BENCH_LEASES'] ?? '5000');
const ROUTERS = 20;
const TOKEN = 'bench-router-webhook-token';
const logger = createLogger({ name: 'bench', level: 'warn' });

const odoo = await startBenchOdoo('isp_core,isp_mikrotik');
const ctx = odoo.context;
const queueDb = await createTestDatabase('bench_burst');

const admin = createOdooClient({
  connection: adminConnection(ctx),
  logger,
});
const sidecar = createOdooClient({
  connection: { ...sidecarConnection(ctx), timeoutMs: 120_000 },
  logger,
});
const [sector] = await admin.create('isp.sector', [{ name: 'Bench', code: 'SEC-BENCH' }]);
await admin.create(
  'isp.device',
  Array.from({ length: ROUTERS }, (_, i) => ({
    name: `rtr-${i + 1}`,
    sector_id: sector,
    identity: `rtr-${i + 1}`,
  })),
);

const port = createProvisionerOdoo(sidecar);
let odooCalls = 0;
const counted = {
  ...port,
  registerLeases: (leases: Parameters<typeof port.registerLeases>[0]) => {
    odooCalls++;
    return port.registerLeases(leases);
  },
};
const runtime = await createProvisionerRuntime({
  databaseUrl: queueDb.url,
  odoo: counted,
  logger,
  applicationName: 'bench',
  lockWaitMs: 60_000,
  settings: {
    dryRun: false,
    batchSize: 200,
    concurrency: 2,
    sweepSeconds: 3600,
    leaseBatch: 500,
    routerTimeoutMs: 10_000,
  },
});
const gateway = await createGatewayRuntime({
  databaseUrl: queueDb.url,
  logger,
  applicationName: 'bench-gateway',
  config: { macToken: TOKEN, sidecarToken: 'bench-odoo-notify-token', rateLimitPerMinute: 6000 },
});
const { app } = gateway;
const address = await app.listen({ host: '127.0.0.1', port: 0 });

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0').toUpperCase();
let errors = 0;
const started = performance.now();
try {
  // 20 routers, each posting its share as fast as its lease-script would: sequentially.
  await Promise.all(
    Array.from({ length: ROUTERS }, async (_, r) => {
      for (let i = r; i < LEASES; i += ROUTERS) {
        const res = await fetch(`${address}/v1/dhcp/lease`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            mac: `02:BE:00:${hex(i >> 16, 2)}:${hex((i >> 8) & 255, 2)}:${hex(i & 255, 2)}`,
            ip: `10.70.${Math.floor(i / 250)}.${(i % 250) + 2}`,
            bound: true,
            server: 'dhcp-lan',
            hostname: `ONU-${i}`,
            router: `rtr-${r + 1}`,
          }),
        });
        if (res.status !== 202) errors++;
      }
    }),
  );
  const posted = (performance.now() - started) / 1000;
  let profiles = 0;
  while (profiles < LEASES && performance.now() - started < 180_000) {
    await new Promise((r) => setTimeout(r, 500));
    profiles = await admin.callMethod(
      'isp.mac.profile',
      'search_count',
      undefined,
      { domain: [] },
      z.number(),
    );
  }
  const total = (performance.now() - started) / 1000;
  process.stdout.write(
    `lease burst: ${LEASES} distinct leases from ${ROUTERS} routers\n` +
      `  posted in ${posted.toFixed(1)} s (goal ≤ 10 s), errors ${errors} (goal 0)\n` +
      `  ${profiles} MAC profiles in Odoo after ${total.toFixed(1)} s (goal ${LEASES} within 60 s)\n` +
      `  Odoo calls for leases: ${odooCalls} (goal ≤ 60)\n`,
  );
} finally {
  await gateway.close({ graceful: false });
  await runtime.stop({ graceful: false });
  admin.close();
  sidecar.close();
  await odoo.stop();
  await queueDb.drop();
}

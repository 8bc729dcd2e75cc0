/**
 * Webhook ingest (auth + validation + durable pg-boss enqueue) against a bare fastify hello-world,
 * both under the same loopback load generator running in its own process. The two alternate for
 * several rounds (the load generator, the server and Postgres share the machine's cores, and a noisy
 * neighbour moves single runs by ±30 %); prints each round, the median ratio and the worst p99.
 * Needs Postgres (a throwaway database is created and dropped).
 *
 *   pnpm exec tsx bench/gateway-ingest.ts [--seconds 5] [--rounds 3] [--connections 32] [--in-flight 1]
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
// Relative imports: the root package does not depend on the workspace packages. The baseline uses the
// very fastify the gateway runs on.
import Fastify from 'fastify';
import { createLogger } from '@isp/logging';
import { createTestDatabase } from '@isp/testing';
import { createGatewayRuntime } from '@isp/gateway';
import type { LoadOptions, LoadResult } from './gateway-loadgen';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    'in-flight': { type: 'string', default: '1' },
  },
});
const durationMs = Number(values.seconds) * 1000;
const connections = Number(values.connections);
const rounds = Number(values.rounds);
const TOKEN = 'bench-mac-token-0123456789';
const run = promisify(execFile);
const tsx = resolve(import.meta.dirname, '../node_modules/.bin/tsx');
const loadgen = resolve(import.meta.dirname, 'gateway-loadgen.ts');

let firstMac = 0;
async function load(url: string, headers: Record<string, string>, ms: number): Promise<LoadResult> {
  // Every run gets MACs of its own: a repeat of a warm-up lease would take the cheaper duplicate path.
  firstMac += 100_000_000;
  const options: LoadOptions = {
    url,
    connections,
    durationMs: ms,
    maxRequests: 5_000_000,
    headers,
    firstMac,
  };
  const { stdout } = await run(tsx, [loadgen, JSON.stringify(options)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as LoadResult;
}

const logger = createLogger({ name: 'bench', level: 'silent' });
const db = await createTestDatabase('bench_gateway');
// As main.ts runs it: per-router budgets shared through Postgres, synced every second.
const runtime = await createGatewayRuntime({
  databaseUrl: db.url,
  logger,
  applicationName: 'isp-bench',
  poolSize: 20,
  bossExtra: { supervise: false },
  enqueueMaxInFlight: Number(values['in-flight']),
  config: {
    macToken: TOKEN,
    sidecarToken: 'bench-sidecar-token-0123456789',
    rateLimitPerMinute: 1_000_000_000,
  },
});
const { app: gateway, boss } = runtime;
try {
  const hello = Fastify();
  hello.post('/', () => ({ hello: 'world' }));
  const gatewayUrl = `${await gateway.listen({ host: '127.0.0.1', port: 0 })}/v1/dhcp/lease`;
  const helloUrl = `${await hello.listen({ host: '127.0.0.1', port: 0 })}/`;
  const auth = { authorization: `Bearer ${TOKEN}` };

  // Warm both up (JIT, connection pools) before measuring.
  await load(helloUrl, auth, 1_500);
  await load(gatewayUrl, auth, 1_500);
  const row = (name: string, r: LoadResult): string =>
    `  ${name.padEnd(22)} ${r.rps.toFixed(0).padStart(8)} req/s  p50 ${r.p50Ms.toFixed(2).padStart(6)} ms  p99 ${r.p99Ms
      .toFixed(2)
      .padStart(6)} ms  ${JSON.stringify(r.statuses)} errors=${r.errors}`;
  console.log(
    `connections=${connections} seconds=${values.seconds} rounds=${rounds} (loopback, load generator in its own process)`,
  );
  const ratios: number[] = [];
  let worstP99 = 0;
  for (let round = 1; round <= rounds; round++) {
    // Alternating which goes first, so neither always runs on the warmer or the quieter half.
    const first = round % 2 === 1 ? 'bare' : 'ingest';
    const bare = first === 'bare' ? await load(helloUrl, auth, durationMs) : undefined;
    const ingest = await load(gatewayUrl, auth, durationMs);
    const bareRun = bare ?? (await load(helloUrl, auth, durationMs));
    ratios.push(ingest.rps / bareRun.rps);
    worstP99 = Math.max(worstP99, ingest.p99Ms);
    console.log(`round ${round}: ratio ${((ingest.rps / bareRun.rps) * 100).toFixed(1)} %`);
    console.log(row('bare fastify hello', bareRun));
    console.log(row('gateway lease ingest', ingest));
  }
  const stored = (await boss.getQueueStats('dhcp.lease')).queuedCount;
  const median = [...ratios].sort((x, y) => x - y)[Math.floor(ratios.length / 2)] ?? 0;
  console.log(`median ratio ingest/bare: ${(median * 100).toFixed(1)} % (target >= 30 %)`);
  console.log(
    `worst ingest p99: ${worstP99.toFixed(2)} ms (target < 50 ms); jobs in pg-boss (incl. warm-up): ${stored}`,
  );
  await hello.close();
} finally {
  await runtime.close({ graceful: false });
  await db.drop();
}

/**
 * Ensure-sync of 5,000 simple queues to one simulated router at 50 ms latency: round trips and
 * seconds, against the naive one-command-per-entry time from the same latency; then a no-op
 * resync, which must cost one read round trip. Run: pnpm exec tsx bench/routeros-ensure.ts
 */
import { ensureMenu, RouterClient } from '@isp/routeros';
import type { DesiredItem, EnsureResult } from '@isp/routeros';
import { startLab } from '@isp/routeros-sim';

const ENTRIES = Number(process.env['BENCH_ENTRIES'] ?? '5000');
const LATENCY_MS = Number(process.env['BENCH_LATENCY_MS'] ?? '50');
const MENU = '/queue/simple';

function desired(entries: number, downMbps: number): DesiredItem[] {
  return Array.from({ length: entries }, (_, index) => {
    const host = index + 2;
    return {
      name: `isp-SUB${String(index).padStart(5, '0')}`,
      target: `10.${20 + Math.floor(host / 65536)}.${Math.floor(host / 256) % 256}.${host % 256}`,
      'max-limit': `${Math.max(1, Math.round(downMbps / 4))}M/${downMbps}M`,
      comment: `isp:SUB${String(index).padStart(5, '0')}`,
    };
  });
}

async function timed(label: string, run: () => Promise<EnsureResult>): Promise<EnsureResult> {
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  // Naive: one command per entry (a read or a write each), one latency apiece.
  const naive = (ENTRIES * LATENCY_MS) / 1000;
  process.stdout.write(
    `${label}: +${result.added} ~${result.updated} -${result.removed} =${result.unchanged} failures=${result.failures.length} ` +
      `round trips=${result.roundTrips} time=${seconds.toFixed(2)} s naive=${naive.toFixed(1)} s speed-up=${(naive / seconds).toFixed(1)}x\n`,
  );
  return result;
}

const lab = await startLab({ host: '127.0.0.200', port: 0, latencyMs: LATENCY_MS });
const router = lab.routers[0];
if (router === undefined) throw new Error('lab started no router');
const client = await RouterClient.connect({
  host: router.address,
  port: router.port,
  user: 'admin',
  password: '',
  timeoutMs: 60_000,
});
const owns = (comment: string): boolean => comment.startsWith('isp:');
try {
  process.stdout.write(`${ENTRIES} queues, ${LATENCY_MS} ms latency per command\n`);
  await timed('initial sync', () => ensureMenu(client, MENU, owns, desired(ENTRIES, 20)));
  const noop = await timed('no-op resync', () => ensureMenu(client, MENU, owns, desired(ENTRIES, 20)));
  await timed('change 10% ', () =>
    ensureMenu(
      client,
      MENU,
      owns,
      desired(ENTRIES, 20).map((item, i) => (i % 10 === 0 ? { ...item, 'max-limit': '9M/50M' } : item)),
    ),
  );
  process.stdout.write(`no-op resync round trips per menu: ${noop.roundTrips}\n`);
  process.stdout.write(`max commands in flight seen by the router: ${lab.control(0).maxInFlight}\n`);
} finally {
  await client.close();
  await lab.close();
}

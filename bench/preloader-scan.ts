/**
 * `preloader scan` of a /22 of loopback (1,022 hosts: 3 simulated routers, one listener that is not
 * RouterOS, the rest closed) against `nmap -n -Pn -p <port>` on the same subnet in the same run.
 * Start-up is excluded on both sides: nmap's own "scanned in" time, and the scan measured in this
 * process. Reports the probe phase (what nmap does) and the whole scan (probe + login handshake
 * of each listener) as ratios to nmap; the target is at most 2x.
 * Run: pnpm exec tsx bench/preloader-scan.ts   (needs nmap: apt-get install nmap)
 */
import { execFileSync } from 'node:child_process';
import net from 'node:net';

import { createLogger } from '@isp/logging';
import { scan } from '@isp/preloader';
import { startLab } from '@isp/routeros-sim';

const SUBNET = process.env['BENCH_SUBNET'] ?? '127.0.64.0/22';
const PORT = Number(process.env['BENCH_PORT'] ?? '28728');
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? '5');
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? '256');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function nmapSeconds(): { seconds: number; open: number } {
  const output = execFileSync('nmap', ['-n', '-Pn', '-p', String(PORT), SUBNET], { encoding: 'utf8' });
  const match = /scanned in ([\d.]+) seconds/.exec(output);
  if (match === null) throw new Error(`unexpected nmap output:\n${output}`);
  return {
    seconds: Number(match[1]),
    open: (output.match(new RegExp(`${PORT}/tcp open`, 'g')) ?? []).length,
  };
}

const lab = await startLab({ host: '127.0.64.10', port: PORT, count: 3 });
const other = net.createServer((socket) => {
  socket.on('error', () => undefined);
  socket.write('SSH-2.0-OpenSSH_9.6\r\n');
});
await new Promise<void>((resolve) => other.listen(PORT, '127.0.64.200', resolve));
const logger = createLogger({ name: 'bench', level: 'silent' });

try {
  try {
    execFileSync('nmap', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('nmap is not installed (Debian: apt-get install nmap)');
  }
  const nmap: number[] = [];
  const whole: number[] = [];
  const probe: number[] = [];
  let found = 0;
  let nmapOpen = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const n = nmapSeconds();
    nmap.push(n.seconds);
    nmapOpen = n.open;
    let probeEnd = 0;
    const started = performance.now();
    const result = await scan(
      {
        subnet: SUBNET,
        port: PORT,
        concurrency: CONCURRENCY,
        timeoutMs: 1000,
        mndpPort: undefined,
        mndpWaitMs: 0,
      },
      {
        logger,
        progress: {
          tick: (text) => {
            const counts = /^probed (\d+)\/(\d+)/.exec(text);
            if (counts !== null && counts[1] === counts[2]) probeEnd = performance.now();
          },
          line: () => undefined,
        },
      },
    );
    whole.push((performance.now() - started) / 1000);
    probe.push((probeEnd - started) / 1000);
    found = result.listeners.length;
  }
  const base = median(nmap);
  process.stdout.write(
    `${SUBNET} port ${PORT}, ${ROUNDS} rounds, medians (nmap found ${nmapOpen} open, scan found ${found} listeners)\n` +
      `nmap -n -Pn:             ${base.toFixed(3)} s\n` +
      `preloader probe phase:   ${median(probe).toFixed(3)} s  ratio ${(median(probe) / base).toFixed(2)}x\n` +
      `preloader whole scan:    ${median(whole).toFixed(3)} s  ratio ${(median(whole) / base).toFixed(2)}x (target <= 2x)\n`,
  );
} finally {
  other.close();
  await lab.close();
}

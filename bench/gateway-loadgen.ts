import http from 'node:http';

/**
 * A small loopback load generator: `connections` keep-alive connections, each sending requests back to
 * back until `durationMs` is over or `maxRequests` were sent. Run as its own process (see
 * gateway-ingest.ts) so it does not share an event loop with the server it measures.
 */
export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationMs: number;
  readonly maxRequests: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Lease bodies get a distinct MAC per request, counting from here, so none is deduplicated away. */
  readonly firstMac: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly statuses: Record<string, number>;
  readonly errors: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

function leaseBody(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  const mac = hex.match(/../g)!.join(':');
  return JSON.stringify({
    mac,
    ip: '10.20.0.15',
    bound: true,
    server: 'dhcp-lan',
    hostname: 'ONU-1',
    router: `edge-${n % 20}`,
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let sent = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  const one = (n: number): Promise<void> =>
    new Promise((resolve) => {
      const body = leaseBody(options.firstMac + n);
      const t0 = performance.now();
      const req = http.request(
        options.url,
        {
          method: 'POST',
          agent,
          headers: {
            ...options.headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            statuses[String(res.statusCode)] = (statuses[String(res.statusCode)] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });

  const connection = async (): Promise<void> => {
    while (performance.now() < deadline && sent < options.maxRequests) {
      await one(sent++);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, connection));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    statuses,
    errors,
    seconds,
    rps: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

// As a child process: options as JSON in argv[2], the result as JSON on stdout.
if (process.argv[1]?.endsWith('gateway-loadgen.ts') === true) {
  const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  const result = await runLoad(options);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

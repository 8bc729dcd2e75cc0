import { z } from 'zod';

const verdictSchema = z.object({
  verdict: z.enum(['accept', 'drop', 'reject', 'unknown']),
  rule: z.string().nullable(),
  chain: z.enum(['input', 'forward']),
  dstnat: z.string().nullable(),
  limit: z.string().nullable(),
});
export type Verdict = z.infer<typeof verdictSchema>;

/** The simulator lab's control API over HTTP, as the lab operator uses it. */
export class LabControl {
  constructor(
    private readonly url: string,
    private readonly router: string,
  ) {}

  /** What the router does with a packet from `src` (a customer) to `dst`. */
  async packet(src: string, dst: string, protocol: 'tcp' | 'udp', dstPort: number): Promise<Verdict> {
    const response = await fetch(`${this.url}/routers/${encodeURIComponent(this.router)}/packet`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ src, dst, protocol, dst_port: dstPort }),
      signal: AbortSignal.timeout(10_000),
    });
    const body: unknown = await response.json();
    if (!response.ok) throw new Error(`control API answered ${response.status}: ${JSON.stringify(body)}`);
    return verdictSchema.parse(body);
  }

  /** The customer browsing the web (HTTPS). */
  web(src: string): Promise<Verdict> {
    return this.packet(src, '1.1.1.1', 'tcp', 443);
  }

  /** The customer asking for a plain-HTTP site. */
  plainHttp(src: string): Promise<Verdict> {
    return this.packet(src, '93.184.216.34', 'tcp', 80);
  }
}

/** Throws unless `actual` matches every key of `expected`. */
export function expectVerdict(actual: Verdict, expected: Partial<Verdict>, what: string): void {
  for (const [key, value] of Object.entries(expected)) {
    if (actual[key as keyof Verdict] !== value)
      throw new Error(
        `${what}: expected ${key} ${JSON.stringify(value)}, the router said ${JSON.stringify(actual)}`,
      );
  }
}

import { request } from 'node:http';

import { SimError } from './errors';

export interface FetchArguments {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly userAgent: string;
}

export interface FetchOutcome {
  readonly status: number;
  readonly body: string;
}

/**
 * Parses `http-header-field` as RouterOS does: comma-separated `Name: value` pairs, where `\,`
 * keeps a comma inside a value.
 */
export function parseHeaderField(field: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const part of field.split(/(?<!\\),/)) {
    const split = part.indexOf(':');
    if (split <= 0) continue;
    headers[part.slice(0, split).trim()] = part
      .slice(split + 1)
      .trim()
      .replace(/\\,/g, ',');
  }
  return headers;
}

/** Performs the HTTP request of `/tool/fetch`; the simulator only ever talks to loopback. */
export async function performFetch(args: FetchArguments, timeoutMs = 10_000): Promise<FetchOutcome> {
  const url = new URL(args.url);
  if (url.protocol !== 'http:' || !/^127\.\d+\.\d+\.\d+$|^localhost$/.test(url.hostname)) {
    throw new SimError(
      'ISP_ERR_SIM_FETCH_TARGET',
      `fetch to ${url.host} refused: the simulator only reaches http://127.x`,
    );
  }
  const headers: Record<string, string> = { 'User-Agent': args.userAgent, ...args.headers };
  if (
    args.body !== undefined &&
    !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')
  ) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: args.method.toUpperCase(), headers, timeout: timeoutMs, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('idle timeout')));
    req.on('error', reject);
    req.end(args.body);
  });
}

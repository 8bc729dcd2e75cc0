import http from 'node:http';
import https from 'node:https';
import type { OdooConnection } from '../config';
import { OdooError } from '../errors';
import { errorFromJson2, errorFromNetwork, type CallSite } from '../fault-mapping';
import type { OdooCall, OdooTransport } from '../transport';

// Odoo answers are bounded by what a sidecar asks for; a larger body means something is wrong.
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

interface RawResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * Odoo 19's JSON-2 API: `POST /json/2/<model>/<method>` with the API key as bearer token and named
 * arguments only. One keep-alive agent per transport, every request bound to the caller's signal.
 */
export class Json2Transport implements OdooTransport {
  readonly protocol = 'json2';
  readonly #connection: OdooConnection;
  readonly #agent: http.Agent;
  readonly #request: typeof http.request;

  constructor(connection: OdooConnection) {
    this.#connection = connection;
    const secure = connection.url.startsWith('https:');
    const agentOptions = { keepAlive: true, maxSockets: connection.maxSockets };
    this.#agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    this.#request = secure ? https.request : http.request;
  }

  async execute(call: OdooCall, signal: AbortSignal): Promise<unknown> {
    const body: Record<string, unknown> = { ...call.params };
    if (call.ids !== undefined) body['ids'] = call.ids;
    if (call.context !== undefined) body['context'] = call.context;
    const path = `/json/2/${encodeURIComponent(call.model)}/${encodeURIComponent(call.method)}`;
    const site = { model: call.model, method: call.method };
    const response = await this.#post(path, JSON.stringify(body), signal, site);
    const parsed = parseJson(response.body);
    if (response.status === 200) {
      if (parsed.ok) return parsed.value;
      throw new OdooError('ISP_ERR_ODOO_BAD_RESPONSE', {
        ...site,
        httpStatus: 200,
        message: 'Odoo answered invalid JSON',
      });
    }
    throw errorFromJson2(response.status, parsed.ok ? parsed.value : undefined, site);
  }

  async verify(signal: AbortSignal): Promise<void> {
    // Cheap, @api.model, allowed to every internal user, and fails with 401 on a bad key.
    await this.execute({ model: 'res.users', method: 'context_get' }, signal);
  }

  close(): void {
    this.#agent.destroy();
  }

  #post(path: string, payload: string, signal: AbortSignal, site: CallSite): Promise<RawResponse> {
    return new Promise<RawResponse>((resolve, reject) => {
      const fail = (err: unknown): void => {
        reject(signal.aborted ? abortReason(signal, site) : errorFromNetwork(err, site));
      };
      const req = this.#request(
        `${this.#connection.url}${path}`,
        {
          method: 'POST',
          agent: this.#agent,
          signal,
          headers: {
            Authorization: `Bearer ${this.#connection.secret}`,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(payload),
            Accept: 'application/json',
            'X-Odoo-Database': this.#connection.db,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
              res.destroy();
              reject(
                new OdooError('ISP_ERR_ODOO_BAD_RESPONSE', { ...site, message: 'Odoo response too large' }),
              );
              return;
            }
            chunks.push(chunk);
          });
          res.on('error', fail);
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      req.on('error', fail);
      req.end(payload);
    });
  }
}

function abortReason(signal: AbortSignal, site: CallSite): OdooError {
  const reason: unknown = signal.reason;
  return reason instanceof OdooError
    ? reason
    : new OdooError('ISP_ERR_ODOO_TIMEOUT', { ...site, message: 'the Odoo call was aborted', cause: reason });
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

// What the test asks Odoo, as an operator's script would: the admin over JSON-RPC with its password,
// the sidecar user over JSON-2 with its API key.
import { z } from 'zod';

export interface OdooAdmin {
  call(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>): Promise<unknown>;
  searchRead<T>(model: string, domain: unknown[], fields: string[], schema: z.ZodType<T>): Promise<T[]>;
}

const rpcReply = z.union([
  z.object({ result: z.unknown() }),
  z.object({
    error: z.object({ message: z.string(), data: z.object({ message: z.string() }).partial().optional() }),
  }),
]);

async function jsonRpc(url: string, service: string, method: string, args: unknown[]): Promise<unknown> {
  const response = await fetch(`${url}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service, method, args } }),
  });
  const reply = rpcReply.parse(await response.json());
  if ('error' in reply)
    throw new Error(`Odoo ${method}: ${reply.error.data?.message ?? reply.error.message}`);
  return reply.result;
}

/** The uid for login/password, or undefined when Odoo refuses them. */
export async function odooLogin(
  url: string,
  db: string,
  login: string,
  password: string,
): Promise<number | undefined> {
  const uid = await jsonRpc(url, 'common', 'login', [db, login, password]);
  return typeof uid === 'number' && uid > 0 ? uid : undefined;
}

export async function odooAdmin(url: string, db: string, password: string): Promise<OdooAdmin> {
  const uid = await odooLogin(url, db, 'admin', password);
  if (uid === undefined) throw new Error('Odoo refused admin with ODOO_ADMIN_PASSWORD');
  const call = (
    model: string,
    method: string,
    args: unknown[],
    kwargs: Record<string, unknown> = {},
  ): Promise<unknown> =>
    jsonRpc(url, 'object', 'execute_kw', [db, uid, password, model, method, args, kwargs]);
  return {
    call,
    searchRead: async (model, domain, fields, schema) =>
      z.array(schema).parse(await call(model, 'search_read', [domain], { fields })),
  };
}

/** A JSON-2 call (`POST /json/2/<model>/<method>`) with a bearer API key; returns the HTTP status and body. */
export async function json2(
  url: string,
  db: string,
  apiKey: string,
  model: string,
  method: string,
  body: Record<string, unknown>,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/json/2/${model}/${method}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `bearer ${apiKey}`,
      'x-odoo-database': db,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

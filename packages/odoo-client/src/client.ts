import type { Logger } from '@isp/logging';
import { z } from 'zod';
import { odooConnectionSchema, type OdooConnection, type OdooConnectionInput } from './config';
import { OdooError } from './errors';
import { systemClock, withRetry, type RetryClock } from './retry';
import type { OdooCall, OdooProtocol, OdooTransport } from './transport';
import { Json2Transport } from './transports/json2.transport';
import { XmlRpcTransport } from './transports/xmlrpc.transport';

/** An Odoo domain: `[['state', '=', 'queued'], '|', ['a', '=', 1], ['b', '=', 2]]`. */
export type OdooDomain = ReadonlyArray<string | readonly [string, string, unknown]>;
export type OdooContext = Readonly<Record<string, unknown>>;
export type OdooValues = Readonly<Record<string, unknown>>;

export interface SearchReadOptions {
  readonly domain: OdooDomain;
  readonly fields: readonly string[];
  readonly limit?: number;
  readonly offset?: number;
  readonly order?: string;
  readonly context?: OdooContext;
}

export interface CallOptions {
  /** Overrides the connection's per-call deadline. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * The sidecars' only way to Odoo. Every result is validated with a zod schema, every failure is an
 * `OdooError` subclass carrying Odoo's message; network failures are retried with backoff, faults never.
 */
export interface OdooClient {
  readonly protocol: OdooProtocol;
  /** Calls any public model method; `call.params` are the method's named arguments. */
  call<S extends z.ZodType>(call: OdooCall, schema: S, options?: CallOptions): Promise<z.output<S>>;
  searchRead<S extends z.ZodType>(
    model: string,
    query: SearchReadOptions,
    rowSchema: S,
    options?: CallOptions,
  ): Promise<z.output<S>[]>;
  /** Creates one record per entry and returns the new ids in order. */
  create(
    model: string,
    valsList: readonly OdooValues[],
    context?: OdooContext,
    options?: CallOptions,
  ): Promise<number[]>;
  write(
    model: string,
    ids: readonly number[],
    vals: OdooValues,
    context?: OdooContext,
    options?: CallOptions,
  ): Promise<void>;
  /** Calls a method on records (`ids`) or, with `ids` undefined, on the model (`@api.model`). */
  callMethod<S extends z.ZodType>(
    model: string,
    method: string,
    ids: readonly number[] | undefined,
    params: OdooValues,
    schema: S,
    options?: CallOptions & { readonly context?: OdooContext },
  ): Promise<z.output<S>>;
  /** Checks that Odoo answers and accepts the credentials (readiness probes, start-up). */
  verify(options?: CallOptions): Promise<void>;
  close(): void;
}

export interface OdooClientDeps {
  readonly connection: OdooConnectionInput;
  readonly logger: Logger;
  /** Replaces the transport chosen by `connection.protocol` (tests). */
  readonly transport?: OdooTransport;
  readonly clock?: RetryClock;
}

const idsSchema = z.array(z.number().int().positive());

export function createTransport(connection: OdooConnection): OdooTransport {
  return connection.protocol === 'json2' ? new Json2Transport(connection) : new XmlRpcTransport(connection);
}

export function createOdooClient(deps: OdooClientDeps): OdooClient {
  const parsed = odooConnectionSchema.safeParse(deps.connection);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new OdooError('ISP_ERR_ODOO_CONFIG', { message: `invalid Odoo connection: ${problems}` });
  }
  const connection = parsed.data;
  const transport = deps.transport ?? createTransport(connection);
  const clock = deps.clock ?? systemClock;
  // Never bind the connection itself: it holds the secret. Only where, never what, is logged.
  const log = deps.logger.child({
    component: 'odoo-client',
    protocol: transport.protocol,
    odooHost: new URL(connection.url).host,
  });
  const policy = {
    retries: connection.retries,
    baseDelayMs: connection.retryBaseDelayMs,
    maxDelayMs: connection.retryMaxDelayMs,
  };

  async function once<T>(
    site: { model?: string; method: string },
    run: (signal: AbortSignal) => Promise<T>,
    options?: CallOptions,
  ): Promise<T> {
    const timeoutMs = options?.timeoutMs ?? connection.timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort(
        new OdooError('ISP_ERR_ODOO_TIMEOUT', {
          ...site,
          message: `Odoo did not answer within ${timeoutMs} ms`,
        }),
      );
    }, timeoutMs);
    const outer = options?.signal;
    const forward = (): void => {
      controller.abort(outer?.reason);
    };
    outer?.addEventListener('abort', forward, { once: true });
    if (outer?.aborted === true) forward();
    try {
      return await run(controller.signal);
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', forward);
    }
  }

  async function execute(call: OdooCall, options?: CallOptions): Promise<unknown> {
    const started = performance.now();
    try {
      const result = await withRetry(
        () => once(call, (signal) => transport.execute(call, signal), options),
        policy,
        clock,
        {
          onRetry: (error, retry, delayMs) => {
            log.warn(
              { model: call.model, method: call.method, code: error.code, retry, delayMs },
              'Odoo call failed, retrying',
            );
          },
        },
      );
      log.debug(
        { model: call.model, method: call.method, ms: Math.round(performance.now() - started) },
        'Odoo call',
      );
      return result;
    } catch (err) {
      const code = err instanceof OdooError ? err.code : 'unknown';
      log.debug({ model: call.model, method: call.method, code }, 'Odoo call failed');
      throw err;
    }
  }

  async function call<S extends z.ZodType>(
    c: OdooCall,
    schema: S,
    options?: CallOptions,
  ): Promise<z.output<S>> {
    const raw = await execute(c, options);
    const result = schema.safeParse(raw);
    if (!result.success) {
      throw new OdooError('ISP_ERR_ODOO_BAD_RESPONSE', {
        model: c.model,
        method: c.method,
        message: `unexpected result of ${c.model}.${c.method}: ${z.prettifyError(result.error)}`,
      });
    }
    return result.data;
  }

  return {
    protocol: transport.protocol,
    call,
    searchRead: (model, query, rowSchema, options) =>
      call(
        {
          model,
          method: 'search_read',
          context: query.context,
          params: {
            domain: query.domain,
            fields: query.fields,
            limit: query.limit,
            offset: query.offset,
            order: query.order,
          },
        },
        z.array(rowSchema),
        options,
      ),
    create: (model, valsList, context, options) =>
      call({ model, method: 'create', context, params: { vals_list: valsList } }, idsSchema, options),
    write: async (model, ids, vals, context, options) => {
      await call({ model, method: 'write', ids, context, params: { vals } }, z.literal(true), options);
    },
    callMethod: (model, method, ids, params, schema, options) =>
      call({ model, method, ids, context: options?.context, params }, schema, options),
    verify: async (options) => {
      await withRetry(
        () => once({ method: 'verify' }, (signal) => transport.verify(signal), options),
        policy,
        clock,
      );
    },
    close: () => {
      transport.close();
    },
  };
}

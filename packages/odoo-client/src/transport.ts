/**
 * One call in JSON-2's shape: the named arguments of the method, plus `ids` for record methods and an
 * optional `context`. Both transports take this; XML-RPC turns it into execute_kw's args/kwargs.
 */
export interface OdooCall {
  readonly model: string;
  readonly method: string;
  readonly ids?: readonly number[];
  readonly context?: Readonly<Record<string, unknown>>;
  readonly params?: Readonly<Record<string, unknown>>;
}

export type OdooProtocol = 'xmlrpc' | 'json2';

/**
 * What a transport does: send one call and return Odoo's raw answer, or throw an `OdooError` already
 * mapped from the fault. It neither retries nor validates: the client does both, the same for each.
 */
export interface OdooTransport {
  readonly protocol: OdooProtocol;
  execute(call: OdooCall, signal: AbortSignal): Promise<unknown>;
  /** Checks that Odoo answers and accepts the credentials. */
  verify(signal: AbortSignal): Promise<void>;
  close(): void;
}

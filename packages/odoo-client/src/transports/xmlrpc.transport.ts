import OdooXmlRpc from 'odoo-xmlrpc';
import type { OdooConnection } from '../config';
import { OdooAuthError, OdooError } from '../errors';
import { errorFromXmlRpc, type CallSite } from '../fault-mapping';
import type { OdooCall, OdooTransport } from '../transport';

/**
 * Odoo's XML-RPC API (`/xmlrpc/2/common` and `/object`) through the odoo-xmlrpc package.
 *
 * That package builds a new xmlrpc client per call with only host/port/path, so it cannot take an agent
 * or a socket timeout: connections go through Node's global agent (keep-alive since Node 19), and the
 * deadline is enforced here by abandoning the call when the signal fires.
 */
export class XmlRpcTransport implements OdooTransport {
  readonly protocol = 'xmlrpc';
  readonly #odoo: OdooXmlRpc;
  #login: Promise<void> | undefined;

  constructor(connection: OdooConnection) {
    this.#odoo = new OdooXmlRpc({
      url: connection.url,
      db: connection.db,
      username: connection.login,
      password: connection.secret,
    });
  }

  async execute(call: OdooCall, signal: AbortSignal): Promise<unknown> {
    await this.#ensureLogin(signal);
    const site = { model: call.model, method: call.method };
    const { args, kwargs } = toExecuteKw(call);
    return settle(signal, site, (cb) => {
      this.#odoo.execute_kw(call.model, call.method, [args, kwargs], cb);
    });
  }

  async verify(signal: AbortSignal): Promise<void> {
    this.#login = undefined;
    await this.#ensureLogin(signal);
  }

  close(): void {
    this.#login = undefined;
  }

  #ensureLogin(signal: AbortSignal): Promise<void> {
    this.#login ??= settle(signal, { method: 'authenticate' }, (cb) => {
      this.#odoo.connect(cb);
    }).then(
      () => undefined,
      (err: unknown) => {
        // A failed login must not stick: the next call tries again (Odoo may have been down).
        this.#login = undefined;
        throw err;
      },
    );
    return this.#login;
  }
}

/**
 * execute_kw takes positional args and kwargs. Record methods get the ids as first positional argument;
 * `create` must get its values positionally too (Odoo's call_kw inspects args[0] to shape the result).
 */
export function toExecuteKw(call: OdooCall): { args: unknown[]; kwargs: Record<string, unknown> } {
  const kwargs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(call.params ?? {})) {
    if (value !== undefined) kwargs[key] = value;
  }
  if (call.context !== undefined) kwargs['context'] = call.context;
  const args: unknown[] = [];
  if (call.ids !== undefined) args.push(call.ids);
  if (call.method === 'create' && 'vals_list' in kwargs) {
    args.push(kwargs['vals_list']);
    delete kwargs['vals_list'];
  }
  return { args, kwargs };
}

// odoo-xmlrpc reports a refused login as a plain object with this text, not as a fault.
const NO_UID = 'No UID returned from authentication.';

function settle(
  signal: AbortSignal,
  site: CallSite,
  start: (cb: (error: unknown, value: unknown) => void) => void,
): Promise<unknown> {
  return new Promise<unknown>((resolve, reject) => {
    let done = false;
    const onAbort = (): void => {
      if (done) return;
      done = true;
      const reason: unknown = signal.reason;
      reject(
        reason instanceof OdooError
          ? reason
          : new OdooError('ISP_ERR_ODOO_TIMEOUT', {
              ...site,
              message: 'the Odoo call was aborted',
              cause: reason,
            }),
      );
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    start((error, value) => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      if (error === null || error === undefined) {
        resolve(value);
        return;
      }
      if (typeof error === 'object' && 'message' in error && error.message === NO_UID) {
        reject(new OdooAuthError({ ...site, message: 'Odoo refused the login or API key' }));
        return;
      }
      reject(errorFromXmlRpc(error, site));
    });
  });
}

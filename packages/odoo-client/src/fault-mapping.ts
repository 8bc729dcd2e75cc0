import { z } from 'zod';
import {
  OdooAccessError,
  OdooAuthError,
  OdooError,
  OdooMissingRecordError,
  OdooUserError,
  OdooValidationError,
} from './errors';

/** Which call failed; carried on every error so a log line says where. */
export interface CallSite {
  readonly model?: string;
  readonly method?: string;
}

// Socket-level failures that mean "no answer from Odoo's application". ECONNRESET/EPIPE are included
// because a keep-alive socket closed by the server between two calls fails exactly this way.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

// A reverse proxy in front of Odoo answers these while Odoo restarts: worth retrying.
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'message' in err && typeof err.message === 'string') {
    return err.message;
  }
  return String(err);
}

/** Maps a failure below HTTP (DNS, TCP, TLS, socket reset) to a retryable network error. */
export function errorFromNetwork(err: unknown, site: CallSite): OdooError {
  if (err instanceof OdooError) return err;
  const code = errorCode(err);
  const isNetwork = (code !== undefined && NETWORK_CODES.has(code)) || messageOf(err) === 'socket hang up';
  return new OdooError(isNetwork ? 'ISP_ERR_ODOO_NETWORK' : 'ISP_ERR_ODOO_BAD_RESPONSE', {
    ...site,
    message: `${isNetwork ? 'cannot reach Odoo' : 'unexpected transport failure'}: ${messageOf(err)}`,
    cause: err,
  });
}

/** Builds the typed error for an Odoo exception class name (`odoo.exceptions.ValidationError`). */
export function errorFromOdooName(
  name: string,
  message: string,
  site: CallSite,
  httpStatus?: number,
): OdooError {
  const details = { ...site, message, odooName: name, httpStatus };
  const short = name.slice(name.lastIndexOf('.') + 1);
  switch (short) {
    case 'AccessDenied':
    case 'Unauthorized':
      return new OdooAuthError(details);
    case 'AccessError':
    case 'Forbidden':
      return new OdooAccessError(details);
    case 'ValidationError':
      return new OdooValidationError(details);
    case 'MissingError':
      return new OdooMissingRecordError(details);
    case 'UserError':
    case 'RedirectWarning':
    case 'LockError':
      return new OdooUserError(details);
    case 'NotFound':
      return new OdooError('ISP_ERR_ODOO_NOT_FOUND', details);
    case 'UnprocessableEntity':
    case 'BadRequest':
    case 'UnsupportedMediaType':
      return new OdooError('ISP_ERR_ODOO_BAD_CALL', details);
    default:
      return new OdooError('ISP_ERR_ODOO_SERVER', details);
  }
}

const json2ErrorBodySchema = z.object({ name: z.string(), message: z.string() });

/** JSON-2 answers a failure with an HTTP status and `{name, message, arguments, context, debug}`. */
export function errorFromJson2(status: number, body: unknown, site: CallSite): OdooError {
  const parsed = json2ErrorBodySchema.safeParse(body);
  if (parsed.success) return errorFromOdooName(parsed.data.name, parsed.data.message, site, status);
  if (UNAVAILABLE_STATUSES.has(status)) {
    return new OdooError('ISP_ERR_ODOO_UNAVAILABLE', {
      ...site,
      httpStatus: status,
      message: `Odoo answered HTTP ${status}`,
    });
  }
  if (status === 401) return new OdooAuthError({ ...site, httpStatus: status });
  return new OdooError('ISP_ERR_ODOO_BAD_RESPONSE', {
    ...site,
    httpStatus: status,
    message: `Odoo answered HTTP ${status} without an error body`,
  });
}

// Fault codes of /xmlrpc/2 (addons/rpc/controllers/xmlrpc.py). Code 2 covers UserError and all its
// subclasses (ValidationError, MissingError): XML-RPC does not tell them apart.
const XMLRPC_FAULT_APPLICATION = 1;
const XMLRPC_FAULT_WARNING = 2;
const XMLRPC_FAULT_ACCESS_DENIED = 3;
const XMLRPC_FAULT_ACCESS_ERROR = 4;

const xmlRpcFaultSchema = z.object({ faultCode: z.union([z.number(), z.string()]), faultString: z.string() });
const httpFailureSchema = z.object({ res: z.object({ statusCode: z.number() }) });

/** The last line of a Python traceback is the exception and its message, the useful part. */
function tracebackSummary(traceback: string): string {
  const lines = traceback
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.at(-1) ?? traceback;
}

/** Maps whatever the odoo-xmlrpc callback reported (fault, HTTP failure, socket error). */
export function errorFromXmlRpc(err: unknown, site: CallSite): OdooError {
  if (err instanceof OdooError) return err;
  const fault = xmlRpcFaultSchema.safeParse(err);
  if (fault.success) {
    const { faultCode, faultString } = fault.data;
    switch (faultCode) {
      case XMLRPC_FAULT_WARNING:
        return new OdooUserError({ ...site, message: faultString, odooName: 'odoo.exceptions.UserError' });
      case XMLRPC_FAULT_ACCESS_DENIED:
        return new OdooAuthError({ ...site, message: faultString, odooName: 'odoo.exceptions.AccessDenied' });
      case XMLRPC_FAULT_ACCESS_ERROR:
        return new OdooAccessError({
          ...site,
          message: faultString,
          odooName: 'odoo.exceptions.AccessError',
        });
      case XMLRPC_FAULT_APPLICATION:
      default: {
        const summary = tracebackSummary(faultString);
        const colon = summary.indexOf(': ');
        const name =
          colon > 0 && !summary.slice(0, colon).includes(' ') ? summary.slice(0, colon) : 'Exception';
        const message = colon > 0 && name !== 'Exception' ? summary.slice(colon + 2) : summary;
        // The method-lookup failure surfaces as AttributeError from get_public_method.
        if (name === 'AttributeError' && message.includes('does not exist')) {
          return new OdooError('ISP_ERR_ODOO_NOT_FOUND', { ...site, message, odooName: name });
        }
        return errorFromOdooName(name, message, site);
      }
    }
  }
  const http = httpFailureSchema.safeParse(err);
  if (http.success) {
    const status = http.data.res.statusCode;
    if (UNAVAILABLE_STATUSES.has(status)) {
      return new OdooError('ISP_ERR_ODOO_UNAVAILABLE', {
        ...site,
        httpStatus: status,
        message: `Odoo answered HTTP ${status}`,
      });
    }
    if (status === 404) {
      return new OdooError('ISP_ERR_ODOO_NOT_FOUND', {
        ...site,
        httpStatus: status,
        message: 'the XML-RPC endpoint is missing (is the rpc addon loaded?)',
      });
    }
    return new OdooError('ISP_ERR_ODOO_BAD_RESPONSE', {
      ...site,
      httpStatus: status,
      message: messageOf(err),
      cause: err,
    });
  }
  return errorFromNetwork(err, site);
}

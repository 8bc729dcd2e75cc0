/**
 * Every error this package raises, by code. `retryable` marks the failures where the request did not
 * get an answer from Odoo's application (network, proxy saying Odoo is down): only those are retried.
 */
export const ODOO_ERRORS = {
  ISP_ERR_ODOO_AUTH: { message: 'Odoo refused the login or API key', retryable: false },
  ISP_ERR_ODOO_ACCESS: { message: 'Odoo denied access', retryable: false },
  ISP_ERR_ODOO_VALIDATION: { message: 'Odoo rejected the values', retryable: false },
  ISP_ERR_ODOO_USER_ERROR: { message: 'Odoo refused the operation', retryable: false },
  ISP_ERR_ODOO_MISSING_RECORD: { message: 'record does not exist or has been deleted', retryable: false },
  ISP_ERR_ODOO_NOT_FOUND: { message: 'no such model or method', retryable: false },
  ISP_ERR_ODOO_BAD_CALL: { message: 'Odoo could not bind the arguments to the method', retryable: false },
  ISP_ERR_ODOO_SERVER: { message: 'Odoo raised an internal error', retryable: false },
  ISP_ERR_ODOO_BAD_RESPONSE: {
    message: 'Odoo answered something this client does not understand',
    retryable: false,
  },
  ISP_ERR_ODOO_TIMEOUT: { message: 'Odoo did not answer in time', retryable: false },
  ISP_ERR_ODOO_NETWORK: { message: 'cannot reach Odoo', retryable: true },
  ISP_ERR_ODOO_UNAVAILABLE: { message: 'Odoo is unavailable', retryable: true },
  ISP_ERR_ODOO_CONFIG: { message: 'invalid Odoo client configuration', retryable: false },
} as const;

export type OdooErrorCode = keyof typeof ODOO_ERRORS;

export interface OdooErrorDetails {
  /** Odoo's own message (for faults) or the low-level cause's message. */
  readonly message?: string;
  /** Odoo's exception class when the transport tells it (`odoo.exceptions.ValidationError`). */
  readonly odooName?: string;
  readonly model?: string;
  readonly method?: string;
  readonly httpStatus?: number;
  readonly cause?: unknown;
}

/** Base of every error of this package; `code` says what happened, `message` carries Odoo's text. */
export class OdooError extends Error {
  readonly code: OdooErrorCode;
  readonly odooName: string | undefined;
  readonly model: string | undefined;
  readonly method: string | undefined;
  readonly httpStatus: number | undefined;

  constructor(code: OdooErrorCode, details: OdooErrorDetails = {}) {
    super(details.message ?? ODOO_ERRORS[code].message, { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.odooName = details.odooName;
    this.model = details.model;
    this.method = details.method;
    this.httpStatus = details.httpStatus;
  }

  get retryable(): boolean {
    return ODOO_ERRORS[this.code].retryable;
  }
}

// One class per fault kind so callers can `catch (e) { if (e instanceof OdooUserError) … }`.
// Validation and missing-record errors are user errors in Odoo too (subclasses of UserError).
export class OdooAuthError extends OdooError {
  constructor(details: OdooErrorDetails = {}) {
    super('ISP_ERR_ODOO_AUTH', details);
  }
}
export class OdooAccessError extends OdooError {
  constructor(details: OdooErrorDetails = {}) {
    super('ISP_ERR_ODOO_ACCESS', details);
  }
}
export class OdooUserError extends OdooError {
  constructor(details: OdooErrorDetails = {}, code: OdooErrorCode = 'ISP_ERR_ODOO_USER_ERROR') {
    super(code, details);
  }
}
export class OdooValidationError extends OdooUserError {
  constructor(details: OdooErrorDetails = {}) {
    super(details, 'ISP_ERR_ODOO_VALIDATION');
  }
}
export class OdooMissingRecordError extends OdooUserError {
  constructor(details: OdooErrorDetails = {}) {
    super(details, 'ISP_ERR_ODOO_MISSING_RECORD');
  }
}

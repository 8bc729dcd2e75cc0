/** Every error the preloader raises, by code; the text is the default message. */
export const PRELOADER_ERRORS = {
  ISP_ERR_PRELOADER_CONFIG: 'invalid configuration',
  ISP_ERR_PRELOADER_ENV: 'a required environment variable is missing',
  ISP_ERR_PRELOADER_SUBNET: 'invalid subnet',
  ISP_ERR_PRELOADER_MNDP_PORT: 'cannot listen for MNDP announcements',
  ISP_ERR_PRELOADER_LOGIN: 'cannot log in to the router',
  ISP_ERR_PRELOADER_ROUTER: 'the router refused a change',
  ISP_ERR_PRELOADER_INTERFACE: 'an interface named in the configuration does not exist on the router',
  ISP_ERR_PRELOADER_OUTSIDE_MGMT_SUBNET: 'this machine is outside mgmt_subnet',
  ISP_ERR_PRELOADER_IDENTITY: 'the identity cannot be given to this router',
  ISP_ERR_PRELOADER_TUNNEL: 'the tunnel cannot be set up',
  ISP_ERR_PRELOADER_ODOO: 'cannot register the router in Odoo',
  ISP_ERR_PRELOADER_VERIFY: 'the router does not answer as expected after onboarding',
} as const;

export type PreloaderErrorCode = keyof typeof PRELOADER_ERRORS;

export class PreloaderError extends Error {
  readonly code: PreloaderErrorCode;

  constructor(code: PreloaderErrorCode, message?: string, options: { cause?: unknown } = {}) {
    super(message ?? PRELOADER_ERRORS[code], options.cause === undefined ? {} : { cause: options.cause });
    this.name = 'PreloaderError';
    this.code = code;
  }
}

/** The code of any error this tool shows: ours, the RouterOS client's, the Odoo client's. */
export function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string')
    return error.code;
  return 'ISP_ERR_PRELOADER_UNEXPECTED';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Every error the provisioner raises itself, by code. */
export const PROVISIONER_ERRORS = {
  ISP_ERR_PROVISIONER_CONFIG: 'invalid provisioner configuration',
  ISP_ERR_PROVISIONER_NO_ROUTER: 'the job names no router',
  ISP_ERR_PROVISIONER_NO_CREDENTIALS: 'the router has no API credentials',
  ISP_ERR_PROVISIONER_ROUTER_BUSY: 'another worker is driving this router',
  ISP_ERR_PROVISIONER_LOCK_LOST: 'the Postgres session holding the router lock ended',
  ISP_ERR_PROVISIONER_ROUTER_REFUSED: 'the router refused some changes',
  ISP_ERR_PROVISIONER_BAD_ODOO_DATA: 'Odoo returned data the provisioner cannot use',
} as const;

export type ProvisionerErrorCode = keyof typeof PROVISIONER_ERRORS;

export class ProvisionerError extends Error {
  readonly code: ProvisionerErrorCode;

  constructor(code: ProvisionerErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? PROVISIONER_ERRORS[code], options);
    this.name = 'ProvisionerError';
    this.code = code;
  }
}

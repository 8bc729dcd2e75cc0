/** Every error the gateway answers with, by code, and the HTTP status the contract gives it. */
export const GATEWAY_ERRORS = {
  ISP_ERR_GATEWAY_BAD_REQUEST: { status: 400, message: 'invalid request body' },
  ISP_ERR_GATEWAY_CONTENT_TYPE: {
    status: 400,
    message: 'the body must be JSON (Content-Type: application/json)',
  },
  ISP_ERR_GATEWAY_UNAUTHORIZED: { status: 401, message: 'missing or wrong bearer token' },
  ISP_ERR_GATEWAY_NOT_FOUND: { status: 404, message: 'no such route' },
  ISP_ERR_GATEWAY_BODY_TOO_LARGE: { status: 413, message: 'request body too large' },
  ISP_ERR_GATEWAY_RATE_LIMITED: { status: 429, message: 'too many requests, retry later' },
  ISP_ERR_GATEWAY_INTERNAL: { status: 500, message: 'internal error' },
  ISP_ERR_GATEWAY_QUEUE_UNAVAILABLE: { status: 503, message: 'the job queue is unavailable, retry later' },
  ISP_ERR_GATEWAY_NOT_READY: { status: 503, message: 'a dependency is unavailable' },
  ISP_ERR_GATEWAY_CONFIG: { status: 500, message: 'invalid gateway configuration' },
} as const;

export type GatewayErrorCode = keyof typeof GATEWAY_ERRORS;

export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly statusCode: number;

  constructor(code: GatewayErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? GATEWAY_ERRORS[code].message, options);
    this.name = 'GatewayError';
    this.code = code;
    this.statusCode = GATEWAY_ERRORS[code].status;
  }
}

/** The body of every error answer; also its OpenAPI schema. */
export const errorBodySchema = {
  type: 'object',
  required: ['statusCode', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string' },
    message: { type: 'string' },
  },
} as const;

export interface ErrorBody {
  readonly statusCode: number;
  readonly code: GatewayErrorCode;
  readonly message: string;
}

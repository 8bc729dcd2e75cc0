/** Every error this package raises, by code, with the HTTP status a route answers when it reaches HTTP. */
export const QUEUE_ERRORS = {
  ISP_ERR_QUEUE_INVALID_PAYLOAD: { message: 'job payload does not match its queue schema', httpStatus: 400 },
  ISP_ERR_QUEUE_UNAVAILABLE: { message: 'the job queue (Postgres) is unavailable', httpStatus: 503 },
} as const;

export type QueueErrorCode = keyof typeof QUEUE_ERRORS;

export class QueueError extends Error {
  readonly code: QueueErrorCode;
  readonly httpStatus: number;
  readonly queue: string | undefined;

  constructor(code: QueueErrorCode, details: { message?: string; queue?: string; cause?: unknown } = {}) {
    super(details.message ?? QUEUE_ERRORS[code].message, { cause: details.cause });
    this.name = 'QueueError';
    this.code = code;
    this.httpStatus = QUEUE_ERRORS[code].httpStatus;
    this.queue = details.queue;
  }
}

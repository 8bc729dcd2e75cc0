import { QueueError } from '@isp/queue';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { GATEWAY_ERRORS, GatewayError, type ErrorBody, type GatewayErrorCode } from '../errors';

// Fastify's own client-error codes, translated to the contract's statuses.
const FASTIFY_CODES: Readonly<Record<string, GatewayErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'ISP_ERR_GATEWAY_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'ISP_ERR_GATEWAY_CONTENT_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'ISP_ERR_GATEWAY_BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'ISP_ERR_GATEWAY_BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'ISP_ERR_GATEWAY_BAD_REQUEST',
};

function classify(error: unknown): { code: GatewayErrorCode; message: string } {
  if (error instanceof GatewayError) return { code: error.code, message: error.message };
  if (error instanceof QueueError) {
    return error.code === 'ISP_ERR_QUEUE_INVALID_PAYLOAD'
      ? { code: 'ISP_ERR_GATEWAY_BAD_REQUEST', message: error.message }
      : {
          code: 'ISP_ERR_GATEWAY_QUEUE_UNAVAILABLE',
          message: GATEWAY_ERRORS.ISP_ERR_GATEWAY_QUEUE_UNAVAILABLE.message,
        };
  }
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation !== undefined) {
    return { code: 'ISP_ERR_GATEWAY_BAD_REQUEST', message: fastifyError.message ?? 'invalid request body' };
  }
  const mapped = fastifyError.code === undefined ? undefined : FASTIFY_CODES[fastifyError.code];
  if (mapped !== undefined) {
    return {
      code: mapped,
      message:
        mapped === 'ISP_ERR_GATEWAY_BAD_REQUEST'
          ? (fastifyError.message ?? '')
          : GATEWAY_ERRORS[mapped].message,
    };
  }
  // Any other client error raised by fastify or a plugin (bad URL, JSON with __proto__, …) stays a 4xx.
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return {
      code: status === 429 ? 'ISP_ERR_GATEWAY_RATE_LIMITED' : 'ISP_ERR_GATEWAY_BAD_REQUEST',
      message: fastifyError.message ?? '',
    };
  }
  return { code: 'ISP_ERR_GATEWAY_INTERNAL', message: GATEWAY_ERRORS.ISP_ERR_GATEWAY_INTERNAL.message };
}

/** One error body shape for every failure; a 5xx only for our own faults and an unavailable queue. */
export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { code, message } = classify(error);
  const statusCode = GATEWAY_ERRORS[code].status;
  if (statusCode >= 500) {
    request.log.error({ err: error, code }, 'request failed');
  } else {
    request.log.debug({ code, statusCode }, 'request refused');
  }
  const body: ErrorBody = { statusCode, code, message };
  return reply.code(statusCode).send(body);
}

import type { onRequestAsyncHookHandler } from 'fastify';
import { bearerMatches } from '../domain/bearer';
import { GatewayError } from '../errors';

/** An onRequest hook refusing, before the body is even read, a request without the right token. */
export function requireBearer(expected: string): onRequestAsyncHookHandler {
  return (request) =>
    bearerMatches(request.headers.authorization, expected)
      ? Promise.resolve()
      : Promise.reject(new GatewayError('ISP_ERR_GATEWAY_UNAUTHORIZED'));
}

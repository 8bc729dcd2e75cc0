import type { onRequestAsyncHookHandler } from 'fastify';
import { bearerChecker } from '../domain/bearer';
import { GatewayError } from '../errors';

/** An onRequest hook refusing, before the body is even read, a request without the right token. */
export function requireBearer(expected: string): onRequestAsyncHookHandler {
  const matches = bearerChecker(expected);
  return (request) =>
    matches(request.headers.authorization)
      ? Promise.resolve()
      : Promise.reject(new GatewayError('ISP_ERR_GATEWAY_UNAUTHORIZED'));
}

import { isRouterOsError } from '@isp/routeros';

/**
 * Why an attempt failed decides what happens to the job:
 * - `unreachable`: the router did not answer (Starlink outages are normal). The job waits and is
 *   retried with backoff without using up its attempts.
 * - `business`: the router answered and refused (a trap, bad credentials). It counts as an attempt.
 * - `infrastructure`: Odoo or Postgres failed; the pg-boss job is retried, Odoo's job is untouched.
 */
export type FailureKind = 'unreachable' | 'business' | 'infrastructure';

const UNREACHABLE = new Set([
  'ISP_ERR_ROUTEROS_CONNECT_FAILED',
  'ISP_ERR_ROUTEROS_CONNECTION_LOST',
  'ISP_ERR_ROUTEROS_TIMEOUT',
  'ISP_ERR_ROUTEROS_FATAL',
  'ISP_ERR_ROUTEROS_TRUNCATED',
  'ISP_ERR_ROUTEROS_CLOSED',
]);

export function failureKind(error: unknown): FailureKind {
  if (isRouterOsError(error)) return UNREACHABLE.has(error.code) ? 'unreachable' : 'business';
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ISP_ERR_PROVISIONER_NO_CREDENTIALS' || code === 'ISP_ERR_PROVISIONER_NO_ROUTER')
    return 'business';
  if (code === 'ISP_ERR_PROVISIONER_ROUTER_REFUSED') return 'business';
  return 'infrastructure';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

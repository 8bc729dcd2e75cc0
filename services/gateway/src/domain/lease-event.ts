import { isSafeText, type DhcpLeaseEvent } from '@isp/queue';
import { normalizeMac } from './mac';

/** The webhook body after JSON-schema validation (the lease-script's fields, see the contract). */
export interface LeaseBody {
  readonly mac: string;
  readonly ip: string;
  readonly bound: boolean | number | string;
  readonly server?: string;
  readonly hostname?: string;
  readonly router: string;
  /** The RouterBOARD serial number; Odoo matches the router by it before the identity. */
  readonly serial?: string;
}

// RouterOS scripts know `$leaseBound` as "1"/"0"; accept that and JSON booleans alike.
const BOUND_VALUES = new Map<boolean | number | string, boolean>([
  [true, true],
  [false, false],
  [1, true],
  [0, false],
  ['1', true],
  ['0', false],
  ['true', true],
  ['false', false],
]);

export type LeaseEventResult = { ok: true; event: DhcpLeaseEvent } | { ok: false; message: string };

/** Turns a schema-valid body into the queue's event, or says which field is wrong. */
export function toLeaseEvent(body: LeaseBody, receivedAt: Date): LeaseEventResult {
  const mac = normalizeMac(body.mac);
  if (mac === undefined) return { ok: false, message: 'body/mac is not a MAC address' };
  const bound = BOUND_VALUES.get(body.bound);
  if (bound === undefined) return { ok: false, message: 'body/bound must be a boolean' };
  const router = body.router.trim();
  if (router === '') return { ok: false, message: 'body/router must not be blank' };
  for (const [field, value] of [
    ['server', body.server],
    ['hostname', body.hostname],
    ['router', router],
    ['serial', body.serial],
  ] as const) {
    if (value !== undefined && !isSafeText(value)) {
      return { ok: false, message: `body/${field} must not contain control characters` };
    }
  }
  // An empty serial (a router without /system routerboard) is the same as none.
  const serial = body.serial?.trim() ?? '';
  return {
    ok: true,
    event: {
      mac,
      ip: body.ip,
      bound,
      server: body.server ?? '',
      hostname: body.hostname ?? '',
      router,
      ...(serial === '' ? {} : { serial }),
      receivedAt: receivedAt.toISOString(),
    },
  };
}

import type { RouterClient } from '@isp/routeros';
import type { AuditEntry, DeviceStatus, OdooJob } from '../adapters/provisioner-odoo';
import type { ResultNote } from '../domain/desired-state';
import type { RouterPassDeps } from './router-pass';

/** What a unit of a router pass works with once the router's session is open. */
export interface PassContext {
  readonly client: RouterClient;
  readonly deviceId: number;
  readonly deps: RouterPassDeps;
  /** Aborts when the router's lock is lost: no further write may be sent. */
  readonly lost: AbortSignal;
}

/** What a unit did: its audit rows, the jobs it failed (with the error in words), the router's health. */
export interface UnitResult {
  readonly audit: readonly AuditEntry[];
  readonly failures: ReadonlyMap<number, string>;
  readonly health?: DeviceStatus;
  /** Result codes of jobs that succeeded but whose outcome needs saying (see `ResultNote`). */
  readonly notes?: ReadonlyMap<number, ResultNote>;
}

/** The router work of a unit, once its Odoo reads are done. */
export type UnitRun = (ctx: PassContext) => Promise<UnitResult>;

/**
 * One family of jobs in a router pass. `prepare` reads what the unit needs from Odoo and runs in
 * the pass's first Odoo round trip (with marking the jobs running and reading the credentials);
 * the returned run does the router work. A `concurrent` unit touches no object another unit
 * touches, so it runs alongside the others instead of before or after them.
 */
export interface JobUnit {
  readonly name: string;
  readonly takes: (job: OdooJob) => boolean;
  readonly concurrent?: boolean;
  prepare(jobs: readonly OdooJob[], deps: RouterPassDeps, deviceId: number): Promise<UnitRun>;
}

/** The audit `result` of a change count: `noop`, `success`, or `dry_run`. */
export function auditResult(deps: Pick<RouterPassDeps, 'dryRun'>, changes: number): string {
  return deps.dryRun ? 'dry_run' : changes === 0 ? 'noop' : 'success';
}

/** The audit row of a job on the router as a whole (drift repair, health check). */
export function deviceAudit(
  job: OdooJob,
  deviceId: number,
  change: Pick<AuditEntry, 'before' | 'after' | 'result'>,
): AuditEntry {
  return {
    action: job.jobType,
    recordModel: 'isp.device',
    recordId: deviceId,
    deviceId,
    jobId: job.id,
    ...change,
  };
}

/** The same error for every job of `jobs`. */
export function failEach(jobs: readonly OdooJob[], error: string): Map<number, string> {
  return new Map(jobs.map((job) => [job.id, error]));
}

export const NOTHING: UnitResult = { audit: [], failures: new Map() };

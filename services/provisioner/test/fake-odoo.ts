import type {
  AuditEntry,
  CaptiveUser,
  DeviceStatus,
  HotspotSession,
  LeaseForOdoo,
  OdooJob,
  ProvisionerOdoo,
  ProvisioningSubscription,
  RouterCredentials,
} from '../src/adapters/provisioner-odoo';
import type { ResultNote } from '../src/domain/desired-state';
import type { RouterPolicy } from '../src/domain/router-policy';

type JobRecord = { -readonly [K in keyof OdooJob]: OdooJob[K] } & {
  waiting: boolean;
  error?: string;
  /** The result code the provisioner gave when it settled the job (see `ResultNote`). */
  note?: ResultNote | undefined;
};

/**
 * An in-memory Odoo with isp_core's job semantics (mark running / done / failed / waiting), for
 * tests that exercise the provisioner against real Postgres and simulated routers. The real
 * methods are covered by isp_core's own tests and by the Odoo-tier test of the provisioner.
 */
export class FakeOdoo implements ProvisionerOdoo {
  readonly jobs = new Map<number, JobRecord>();
  readonly subs = new Map<number, ProvisioningSubscription>();
  readonly devices = new Map<number, RouterCredentials>();
  /** `sidecar_router_policy` per device (none: no redirect, no walled garden). */
  readonly policies = new Map<number, RouterPolicy>();
  readonly captive = new Map<number, CaptiveUser>();
  /** The last `/ip/hotspot/active` mirrored per device. */
  readonly hotspotSessions = new Map<number, HotspotSession[]>();
  readonly audit: AuditEntry[] = [];
  readonly statuses: { deviceId: number; status: DeviceStatus }[] = [];
  readonly leaseCalls: LeaseForOdoo[][] = [];
  /** Makes every call fail as if Odoo were down. */
  down = false;
  private nextJob = 1;

  private check(): void {
    if (this.down) throw Object.assign(new Error('Odoo unreachable'), { code: 'ISP_ERR_ODOO_NETWORK' });
  }

  /** Registers simulated routers as devices 1…n with the factory credentials. */
  addRouters(routers: readonly { readonly address: string; readonly port: number }[]): void {
    routers.forEach((router, index) => {
      const deviceId = index + 1;
      this.devices.set(deviceId, {
        deviceId,
        name: `rtr-${deviceId}`,
        host: router.address,
        port: router.port,
        tls: false,
        user: 'admin',
        password: '',
      });
    });
  }

  /** A hotspot user still to be created, of `sub`'s customer. */
  addCaptiveUser(id: number, login: string, sub: ProvisioningSubscription): void {
    this.captive.set(id, {
      id,
      login,
      password: 'hs-pw',
      profile: 'default',
      macAddress: sub.serviceMac,
      subscriptionName: sub.name,
      state: 'pending',
      limitUptimeHours: 0,
      limitBytesMb: 0,
    });
  }

  addJob(job: Pick<OdooJob, 'jobType'> & Partial<OdooJob>): number {
    const id = this.nextJob++;
    this.jobs.set(id, {
      id,
      name: `JOB/${id}`,
      state: 'queued',
      subscriptionId: undefined,
      deviceId: undefined,
      captiveUserId: undefined,
      attempts: 0,
      maxAttempts: 3,
      waiting: false,
      ...job,
    });
    return id;
  }

  job(id: number): JobRecord {
    const job = this.jobs.get(id);
    if (job === undefined) throw new Error(`no job ${id}`);
    return job;
  }

  pendingJobIds(limit: number): Promise<number[]> {
    this.check();
    return Promise.resolve(
      [...this.jobs.values()]
        .filter((j) => j.state === 'queued')
        .slice(0, limit)
        .map((j) => j.id),
    );
  }
  readJobs(ids: readonly number[]): Promise<OdooJob[]> {
    this.check();
    return Promise.resolve(ids.flatMap((id) => (this.jobs.has(id) ? [{ ...this.job(id) }] : [])));
  }
  subscriptions(
    query: { readonly ids: readonly number[] } | { readonly deviceId: number },
  ): Promise<ProvisioningSubscription[]> {
    this.check();
    const all = [...this.subs.values()];
    return Promise.resolve(
      'ids' in query
        ? all.filter((s) => query.ids.includes(s.id))
        : all.filter(
            (s) => s.deviceId === query.deviceId && (s.state === 'active' || s.state === 'suspended'),
          ),
    );
  }
  routerPolicy(deviceId: number): Promise<RouterPolicy> {
    this.check();
    return Promise.resolve(this.policies.get(deviceId) ?? { suspendedRedirect: undefined, walledGarden: [] });
  }
  credentials(deviceIds: readonly number[]): Promise<RouterCredentials[]> {
    this.check();
    return Promise.resolve(
      deviceIds.flatMap((id) => {
        const device = this.devices.get(id);
        return device === undefined ? [] : [device];
      }),
    );
  }
  captiveUsers(ids: readonly number[]): Promise<CaptiveUser[]> {
    this.check();
    return Promise.resolve(
      ids.flatMap((id) => {
        const user = this.captive.get(id);
        return user === undefined ? [] : [user];
      }),
    );
  }
  syncHotspotSessions(deviceId: number, sessions: readonly HotspotSession[]): Promise<void> {
    this.check();
    this.hotspotSessions.set(deviceId, [...sessions]);
    return Promise.resolve();
  }
  setCaptiveState(ids: readonly number[], state: 'active' | 'disabled' | 'removed'): Promise<void> {
    this.check();
    for (const id of ids) {
      const user = this.captive.get(id);
      if (user !== undefined) this.captive.set(id, { ...user, state });
    }
    return Promise.resolve();
  }
  markRunning(ids: readonly number[]): Promise<void> {
    this.check();
    for (const id of ids) {
      const job = this.job(id);
      if (job.state !== 'queued') throw new Error(`job ${id} is ${job.state}, not queued`);
      Object.assign(job, { state: 'running', attempts: job.attempts + 1, waiting: false });
    }
    return Promise.resolve();
  }
  markDone(ids: readonly number[], notes?: ReadonlyMap<number, ResultNote>): Promise<void> {
    this.check();
    for (const id of ids)
      Object.assign(this.job(id), {
        state: 'success',
        waiting: false,
        error: undefined,
        note: notes?.get(id),
      });
    return Promise.resolve();
  }
  markFailed(ids: readonly number[], error: string, final: boolean): Promise<void> {
    this.check();
    for (const id of ids) {
      const job = this.job(id);
      Object.assign(job, {
        state: final || job.attempts >= job.maxAttempts ? 'failed' : 'queued',
        error,
        waiting: false,
      });
    }
    return Promise.resolve();
  }
  markWaiting(ids: readonly number[], reason: string): Promise<void> {
    this.check();
    for (const id of ids) {
      const job = this.job(id);
      Object.assign(job, {
        state: 'queued',
        attempts: job.state === 'running' ? Math.max(0, job.attempts - 1) : job.attempts,
        waiting: true,
        error: reason,
      });
    }
    return Promise.resolve();
  }
  appendAudit(entries: readonly AuditEntry[]): Promise<void> {
    this.check();
    this.audit.push(...entries);
    return Promise.resolve();
  }
  reportDeviceStatus(deviceId: number, status: DeviceStatus): Promise<void> {
    this.check();
    this.statuses.push({ deviceId, status });
    return Promise.resolve();
  }
  registerLeases(leases: readonly LeaseForOdoo[]): Promise<unknown> {
    this.check();
    this.leaseCalls.push([...leases]);
    return Promise.resolve({ profile_ids: leases.map((_, i) => i + 1) });
  }
}

import type { OdooClient } from '@isp/odoo-client';
import { z } from 'zod';
import type { ResultNote } from '../domain/desired-state';
import type { RouterPolicy } from '../domain/router-policy';
import type { SubscriptionSnapshot } from '../domain/subscription-snapshot';
import { many2oneId, optionalText } from './odoo-values';

export const JOB_TYPES = [
  'activate_subscription',
  'suspend_subscription',
  'reconnect_subscription',
  'terminate_subscription',
  'change_plan',
  'captive_user_create',
  'captive_user_disable',
  'captive_user_remove',
  'device_healthcheck',
  'device_sync',
  'update_subscription',
] as const;

const jobSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    job_type: z.enum(JOB_TYPES),
    state: z.enum(['queued', 'running', 'success', 'failed', 'cancelled']),
    subscription_id: many2oneId,
    device_id: many2oneId,
    captive_user_id: many2oneId,
    attempts: z.number().int(),
    max_attempts: z.number().int(),
  })
  .transform((j) => ({
    id: j.id,
    name: j.name,
    jobType: j.job_type,
    state: j.state,
    subscriptionId: j.subscription_id,
    deviceId: j.device_id,
    captiveUserId: j.captive_user_id,
    attempts: j.attempts,
    maxAttempts: j.max_attempts,
  }));
export type OdooJob = z.output<typeof jobSchema>;

const pendingSchema = z.array(z.object({ id: z.number().int() }).loose());

const syncCountsSchema = z.object({
  opened: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  closed: z.number().int().nonnegative(),
});

const registerLeasesSchema = z.object({
  profile_ids: z.array(z.number().int()),
  results: z.array(
    z.object({
      index: z.number().int(),
      mac: z.unknown(),
      profile_id: z.union([z.number().int(), z.literal(false)]),
      error: z.union([z.string(), z.literal(false)]),
    }),
  ),
});

const snapshotSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    state: z.enum(['draft', 'active', 'suspended', 'terminated']),
    device_id: many2oneId,
    auth_method: z.enum(['dhcp', 'pppoe']),
    dhcp_mode: z.enum(['dynamic', 'static']),
    service_mac: optionalText,
    service_ip: optionalText,
    client_address: optionalText,
    pppoe_username: optionalText,
    pppoe_password: optionalText,
    up_mbps: z.number().nonnegative(),
    down_mbps: z.number().nonnegative(),
  })
  .transform((s): ProvisioningSubscription => ({
    id: s.id,
    deviceId: s.device_id,
    name: s.name,
    state: s.state,
    authMethod: s.auth_method,
    dhcpMode: s.dhcp_mode,
    serviceMac: s.service_mac,
    serviceIp: s.service_ip,
    clientAddress: s.client_address,
    pppoeUsername: s.pppoe_username,
    pppoePassword: s.pppoe_password,
    plan: { upMbps: s.up_mbps, downMbps: s.down_mbps },
  }));

const policySchema = z
  .object({
    device_id: z.number().int(),
    suspended_redirect: z.union([
      z.literal(false),
      z.string().regex(/^(\d{1,3}\.){3}\d{1,3}:\d{1,5}$/, 'an ipv4:port notice server address'),
    ]),
    walled_garden: z.array(z.string().min(1)),
  })
  .transform((p): RouterPolicy => ({
    suspendedRedirect:
      p.suspended_redirect === false
        ? undefined
        : {
            address: p.suspended_redirect.split(':')[0] ?? '',
            port: Number(p.suspended_redirect.split(':')[1]),
          },
    walledGarden: p.walled_garden,
  }));

export interface ProvisioningSubscription extends SubscriptionSnapshot {
  readonly id: number;
  readonly deviceId: number | undefined;
}

/**
 * `sidecar_router_credentials` rows. With TLS, a pinned certificate fingerprint (isp_mikrotik stores it
 * as `AA:BB:…`) replaces CA verification; without one, the router must present a certificate the
 * system CAs trust.
 */
export const routerCredentialsSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    mgmt_ip: z.string(),
    api_port: z.number().int().min(1).max(65_535),
    api_tls: z.boolean(),
    api_tls_fingerprint: z.union([z.literal(''), z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)]),
    api_user: z.string(),
    api_password: z.string(),
  })
  .transform((c) => ({
    deviceId: c.id,
    name: c.name,
    host: c.mgmt_ip,
    port: c.api_port,
    tls: routerTls(c.api_tls, c.api_tls_fingerprint),
    user: c.api_user,
    password: c.api_password,
  }));
export type RouterCredentials = z.output<typeof routerCredentialsSchema>;

function routerTls(enabled: boolean, fingerprint: string): boolean | { fingerprint256: string } {
  if (!enabled) return false;
  return fingerprint === '' ? true : { fingerprint256: fingerprint };
}

const CAPTIVE_STATES = ['pending', 'active', 'disabled', 'removed'] as const;

const captiveSchema = z
  .object({
    id: z.number().int(),
    name: z.string().min(1),
    password: optionalText,
    profile: z.string().min(1),
    mac_address: optionalText,
    subscription_id: z.union([z.tuple([z.number().int(), z.string()]), z.literal(false)]),
    state: z.enum(CAPTIVE_STATES),
    limit_uptime_hours: z.number().int().nonnegative(),
    limit_bytes_mb: z.number().int().nonnegative(),
  })
  .transform((u): CaptiveUser => ({
    id: u.id,
    login: u.name,
    password: u.password ?? '',
    profile: u.profile,
    macAddress: u.mac_address,
    subscriptionName: u.subscription_id === false ? undefined : u.subscription_id[1],
    state: u.state,
    limitUptimeHours: u.limit_uptime_hours,
    limitBytesMb: u.limit_bytes_mb,
  }));

export interface CaptiveUser {
  readonly id: number;
  readonly login: string;
  readonly password: string;
  readonly profile: string;
  readonly macAddress: string | undefined;
  readonly subscriptionName: string | undefined;
  readonly state: (typeof CAPTIVE_STATES)[number];
  /** Uptime a login may use, in hours (0: no limit). */
  readonly limitUptimeHours: number;
  /** Traffic a login may use, in MiB (0: no limit). */
  readonly limitBytesMb: number;
}

/** One row of a router's `/ip/hotspot/active`, as Odoo's session mirror takes it. */
export interface HotspotSession {
  readonly router_id: string;
  readonly user: string;
  readonly ip_address: string;
  readonly mac_address: string;
  readonly uptime_seconds: number;
  readonly bytes_in: number;
  readonly bytes_out: number;
}

export interface AuditEntry {
  readonly action: string;
  readonly recordModel: string;
  readonly recordId: number;
  readonly deviceId: number;
  readonly jobId?: number;
  readonly before: unknown;
  readonly after: unknown;
  readonly result: string;
}

export interface DeviceStatus {
  readonly status: 'online' | 'offline' | 'error';
  readonly routeros_version?: string;
  readonly board_name?: string;
  readonly identity?: string;
  readonly serial?: string;
}

/** One lease event as `isp.sidecar.api.sidecar_register_leases` takes it (the webhook body). */
export interface LeaseForOdoo {
  readonly mac: string;
  readonly ip: string;
  readonly bound: boolean;
  readonly server: string;
  readonly hostname: string;
  readonly router: string;
  /** The RouterBOARD serial number, matched before `router`. */
  readonly serial?: string;
}

/** The one model the sidecars call in Odoo: every method is `sidecar_*`, behind one access guard. */
const API = 'isp.sidecar.api';
const ok = z.literal(true);

/** Everything the provisioner asks of Odoo, as one narrow port (tests replace it). */
export interface ProvisionerOdoo {
  pendingJobIds(limit: number): Promise<number[]>;
  readJobs(ids: readonly number[]): Promise<OdooJob[]>;
  /** Desired-state snapshots of the given subscriptions, or of every live one on a router. */
  subscriptions(
    query: { readonly ids: readonly number[] } | { readonly deviceId: number },
  ): Promise<ProvisioningSubscription[]>;
  credentials(deviceIds: readonly number[]): Promise<RouterCredentials[]>;
  /** The router-wide objects a router should hold (suspension rules, walled garden). */
  routerPolicy(deviceId: number): Promise<RouterPolicy>;
  captiveUsers(ids: readonly number[]): Promise<CaptiveUser[]>;
  /** Records that the router now has (or no longer serves) these hotspot users. */
  setCaptiveState(ids: readonly number[], state: 'active' | 'disabled' | 'removed'): Promise<void>;
  /** Mirrors the router's whole `/ip/hotspot/active` into `isp.captive.session`. */
  syncHotspotSessions(deviceId: number, sessions: readonly HotspotSession[]): Promise<void>;
  markRunning(ids: readonly number[]): Promise<void>;
  /** Settles jobs as done; `notes` says, by result code, what a person should know of some of them. */
  markDone(ids: readonly number[], notes?: ReadonlyMap<number, ResultNote>): Promise<void>;
  markFailed(ids: readonly number[], error: string, final: boolean): Promise<void>;
  markWaiting(ids: readonly number[], reason: string): Promise<void>;
  appendAudit(entries: readonly AuditEntry[]): Promise<void>;
  reportDeviceStatus(deviceId: number, status: DeviceStatus): Promise<void>;
  registerLeases(leases: readonly LeaseForOdoo[]): Promise<unknown>;
}

export function createProvisionerOdoo(odoo: OdooClient): ProvisionerOdoo {
  const call = <S extends z.ZodType>(method: string, params: Record<string, unknown>, schema: S) =>
    odoo.callMethod(API, method, undefined, params, schema);
  const mark = async (method: string, ids: readonly number[], params: Record<string, unknown> = {}) => {
    if (ids.length === 0) return;
    await call(method, { job_ids: [...ids], ...params }, ok);
  };
  return {
    async pendingJobIds(limit) {
      const rows = await call('sidecar_pending_jobs', { limit }, pendingSchema);
      return rows.map((r) => r.id);
    },
    async readJobs(ids) {
      if (ids.length === 0) return [];
      return call('sidecar_read_jobs', { job_ids: [...ids] }, z.array(jobSchema));
    },
    async subscriptions(query) {
      if ('ids' in query && query.ids.length === 0) return [];
      const params = 'ids' in query ? { subscription_ids: [...query.ids] } : { device_id: query.deviceId };
      return call('sidecar_subscription_snapshot', params, z.array(snapshotSchema));
    },
    async credentials(deviceIds) {
      if (deviceIds.length === 0) return [];
      return call(
        'sidecar_router_credentials',
        { device_ids: [...deviceIds] },
        z.array(routerCredentialsSchema),
      );
    },
    async routerPolicy(deviceId) {
      const [policy] = await call('sidecar_router_policy', { device_ids: [deviceId] }, z.array(policySchema));
      return policy ?? { suspendedRedirect: undefined, walledGarden: [] };
    },
    async captiveUsers(ids) {
      if (ids.length === 0) return [];
      return call('sidecar_captive_users', { user_ids: [...ids] }, z.array(captiveSchema));
    },
    async setCaptiveState(ids, state) {
      if (ids.length > 0) await call('sidecar_set_captive_state', { user_ids: [...ids], state }, ok);
    },
    async syncHotspotSessions(deviceId, sessions) {
      await call('sidecar_sync_sessions', { device_id: deviceId, sessions: [...sessions] }, syncCountsSchema);
    },
    markRunning: (ids) => mark('sidecar_mark_running', ids),
    markDone: (ids, notes) =>
      mark(
        'sidecar_mark_done',
        ids,
        notes === undefined || notes.size === 0 ? {} : { notes: Object.fromEntries(notes) },
      ),
    markFailed: (ids, error, final) => mark('sidecar_mark_failed', ids, { error, final }),
    markWaiting: (ids, reason) => mark('sidecar_mark_waiting', ids, { reason }),
    async appendAudit(entries) {
      if (entries.length === 0) return;
      await call(
        'sidecar_append_audit',
        {
          entries: entries.map((e) => ({
            action: e.action,
            record_model: e.recordModel,
            record_id: e.recordId,
            device_id: e.deviceId,
            job_id: e.jobId ?? false,
            before_json: JSON.stringify(e.before),
            after_json: JSON.stringify(e.after),
            result: e.result,
          })),
        },
        z.array(z.number().int()),
      );
    },
    async reportDeviceStatus(deviceId, status) {
      await call('sidecar_report_router_status', { device_id: deviceId, values: status }, ok);
    },
    registerLeases(leases) {
      return call('sidecar_register_leases', { leases: [...leases] }, registerLeasesSchema);
    },
  };
}

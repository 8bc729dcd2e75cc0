import type { PgBoss } from 'pg-boss';
import { Gauge, Histogram, Registry } from 'prom-client';
import { queueDepths } from './queue-depth';

/**
 * The metrics every sidecar exposes under the same names, so one dashboard reads the gateway and the
 * provisioner alike. The gateway fills the queue depth; the provisioner observes job durations and
 * router round trips on the same histograms.
 */
export interface SidecarMetrics {
  readonly registry: Registry;
  /** Seconds from a worker picking a job to its outcome. */
  readonly jobDuration: Histogram<'queue' | 'job_type' | 'result'>;
  /** Seconds of one RouterOS API command, sent to answered. */
  readonly routerRoundTrip: Histogram<'router' | 'result'>;
  readonly queueDepth: Gauge<'queue' | 'state'>;
}

export interface SidecarMetricsOptions {
  /** Name of the service, added as a default label (`service="gateway"`). */
  readonly service: string;
  /** When given, the queue depth is read from pg-boss on every scrape. */
  readonly boss?: PgBoss;
  readonly queues?: readonly string[];
}

export function createSidecarMetrics(options: SidecarMetricsOptions): SidecarMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  const { boss, queues = [] } = options;
  const queueDepth = new Gauge({
    name: 'isp_queue_depth',
    help: 'Jobs per pg-boss queue and state (queued, active, failed)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      if (boss === undefined) return;
      // A scrape while Postgres is down must still answer: the depth is then simply absent.
      const depths = await queueDepths(boss, queues).catch(() => []);
      this.reset();
      for (const d of depths) {
        this.set({ queue: d.queue, state: 'queued' }, d.queued);
        this.set({ queue: d.queue, state: 'active' }, d.active);
        this.set({ queue: d.queue, state: 'failed' }, d.failed);
      }
    },
  });
  return {
    registry,
    queueDepth,
    jobDuration: new Histogram({
      name: 'isp_job_duration_seconds',
      help: "Seconds from the start of a job's router pass (or lease batch) until it is settled, by queue, job type and result",
      labelNames: ['queue', 'job_type', 'result'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
    routerRoundTrip: new Histogram({
      name: 'isp_router_round_trip_seconds',
      help: 'Duration of one RouterOS API command, by router and result',
      labelNames: ['router', 'result'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}

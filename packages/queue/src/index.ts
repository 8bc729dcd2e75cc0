export { createBoss, ensureQueues, startBoss, PGBOSS_SCHEMA, type BossOptions } from './boss';
export { createBatchingEnqueuer, type BatchingOptions, type Enqueuer } from './batching-enqueuer';
export { deadLetter, type PoisonJob } from './dead-letter';
export { enqueue, enqueueMany, type EnqueueOptions, type EnqueueResult } from './enqueue';
export { QUEUE_ERRORS, QueueError, type QueueErrorCode } from './errors';
export { parsePayload, type PayloadOf, type QueueDefinition, type QueueOptions } from './queue-definition';
export { queueDepths, type QueueDepth } from './queue-depth';
export { ALL_QUEUES } from './queues/all';
export {
  DHCP_LEASE_DEDUP_SECONDS,
  DHCP_LEASE_QUEUE,
  NORMALIZED_MAC,
  isSafeText,
  dhcpLeaseEventSchema,
  dhcpLeaseQueue,
  type DhcpLeaseEvent,
} from './queues/dhcp-lease.queue';
export {
  PROVISIONING_JOB_QUEUE,
  provisioningJobMessageSchema,
  provisioningJobQueue,
  type ProvisioningJobMessage,
} from './queues/provisioning-job.queue';
export type { JobInsert, PgBoss } from 'pg-boss';
export { createSidecarMetrics, type SidecarMetrics, type SidecarMetricsOptions } from './metrics';

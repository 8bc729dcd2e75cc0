import { dhcpLeaseQueue } from './dhcp-lease.queue';
import { provisioningJobQueue } from './provisioning-job.queue';

/** Every queue of the system; `startBoss` creates them (and their dead-letter queues). */
export const ALL_QUEUES = [dhcpLeaseQueue, provisioningJobQueue] as const;

import type { Store } from '../store/index.js';
import { createBullmqJobQueue } from './bullmq/bullmq-job-queue.js';
import { createEmbeddedJobQueue } from './embedded/embedded-job-queue.js';
import type { JobQueue, JobQueueSettings } from './job-types.js';

export interface CreateJobQueueOptions extends JobQueueSettings {
  /** The store whose database contains the embedded queue. */
  store: Store;
  /** When set, jobs run on BullMQ on this Redis server instead of the database. */
  redisUrl?: string;
}

/** Opens the platform's job queue: BullMQ when `redisUrl` is set, the embedded queue in the database otherwise. */
export async function createJobQueue(options: CreateJobQueueOptions): Promise<JobQueue> {
  const { store, redisUrl, ...settings } = options;
  const queue = redisUrl ? await createBullmqJobQueue({ ...settings, redisUrl }) : createEmbeddedJobQueue({ ...settings, store });

  settings.logger.info({ backend: queue.backend }, 'job queue opened');
  return queue;
}

/** Timing settings the contract suite gives every queue instance, in milliseconds. */
export interface ContractSettings {
  lockMs: number;
  stalledIntervalMs: number;
  maxStalledCount?: number;
  pollIntervalMs?: number;
  keyRetryDelayMs?: number;
}

/** What a worker process needs to open the same queue as the test. */
export type QueueProcessConfig = {
  name: string;
  concurrency: number;
  settings: ContractSettings;
} & ({ backend: 'embedded'; dataDir: string; databaseUrl?: string } | { backend: 'bullmq'; redisUrl: string; prefix: string });

/** Backend options of a worker process, without the job name and concurrency the test picks. */
export type QueueBackendConfig = Omit<QueueProcessConfig, 'name' | 'concurrency' | 'settings'>;

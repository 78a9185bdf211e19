/** Timing settings the contract suite gives every queue instance, in milliseconds. */
export interface ContractSettings {
  lockMs: number;
  stalledIntervalMs: number;
  maxStalledCount?: number;
  pollIntervalMs?: number;
  keyRetryDelayMs?: number;
}

/** Where a worker process finds the queue of the test. */
export type QueueBackendConfig = { backend: 'embedded'; dataDir: string; databaseUrl?: string } | { backend: 'bullmq'; redisUrl: string; prefix: string };

/** What a worker process needs to open the same queue as the test and run one job name. */
export type QueueProcessConfig = QueueBackendConfig & {
  name: string;
  concurrency: number;
  settings: ContractSettings;
};

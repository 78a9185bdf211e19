// One process of the multi-process rate-limit test: it sends GET requests to a local
// server as fast as a Redis-shared budget allows, from `startAt` until `startAt + durationMs`,
// and prints one JSON line with what it sent. Run as
// `node --import tsx rate-limit-worker.ts '<config JSON>'`.
import type { RateLimitBudget } from '@lumio/plugin-sdk';
import { Redis } from 'ioredis';
import { silentLogger } from '../../../platform/src/observability/index.js';
import { createRateLimiter } from '../../../platform/src/services/rate-limit/index.js';

export interface WorkerConfig {
  workerId: number;
  redisUrl: string;
  keyPrefix: string;
  targetUrl: string;
  budget: RateLimitBudget;
  /** Epoch milliseconds at which every worker starts sending. */
  startAt: number;
  durationMs: number;
  /** Hard cap on this worker's requests, whatever the limiter allows. */
  maxRequests: number;
  /** Requests this worker keeps in flight or waiting at once. */
  concurrency: number;
}

export interface WorkerReport {
  workerId: number;
  sent: number;
  statuses: Record<string, number>;
  errors: string[];
}

async function run(config: WorkerConfig): Promise<WorkerReport> {
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  await redis.ping();
  const limiter = createRateLimiter({ redis, keyPrefix: config.keyPrefix, logger: silentLogger });
  const report: WorkerReport = { workerId: config.workerId, sent: 0, statuses: {}, errors: [] };
  const deadline = config.startAt + config.durationMs;
  const request = {
    connector: 'load-test',
    connectionId: `worker-${config.workerId}`,
    accountKey: 'shared-account',
    budgets: [config.budget],
    priority: 'bulk' as const,
  };

  await new Promise((resolve) => setTimeout(resolve, Math.max(0, config.startAt - Date.now())));
  const stop = AbortSignal.timeout(Math.max(1, deadline - Date.now()));

  async function loop(): Promise<void> {
    while (!stop.aborted && report.sent < config.maxRequests) {
      let grantId: string;
      try {
        ({ grantId } = await limiter.acquire({ ...request, signal: stop }));
      } catch (error) {
        if (stop.aborted) return;
        throw error;
      }
      if (report.sent >= config.maxRequests) return;
      report.sent += 1;

      const response = await fetch(config.targetUrl);
      await response.arrayBuffer();
      report.statuses[response.status] = (report.statuses[response.status] ?? 0) + 1;
      await limiter.observe({ ...request, grantId, response: { status: response.status, headers: Object.fromEntries(response.headers) } });
    }
  }

  try {
    await Promise.all(Array.from({ length: config.concurrency }, () => loop()));
  } catch (error) {
    report.errors.push(error instanceof Error ? error.message : String(error));
  } finally {
    await limiter.close();
    await redis.quit();
  }
  return report;
}

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
const report = await run(config);
process.stdout.write(`${JSON.stringify(report)}\n`);

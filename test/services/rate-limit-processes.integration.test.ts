import type { RateLimitBudget } from '@lumio/plugin-sdk';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyPrefix, deleteKeys, openRedis, REDIS_URL } from './rate-limit-support.js';
import { smallestSpan, startCountingServer, type CountingServer } from './support/counting-server.js';
import type { WorkerConfig, WorkerReport } from './support/rate-limit-worker.js';
import { runWorkerProcess, type WorkerRun } from './support/worker-process.js';

const WORKER_SCRIPT = fileURLToPath(new URL('./support/rate-limit-worker.ts', import.meta.url));

const BUDGET: RateLimitBudget = { name: 'shared', scope: 'account', algorithm: 'slidingWindow', limit: 20, intervalMs: 2000 };
const WORKERS = 3;
const DURATION_MS = 8000;
const MAX_REQUESTS_PER_WORKER = 100;
/** Time the workers get to start (tsx compiles on load) before they all begin sending. */
const STARTUP_MS = 3000;

function runWorker(config: WorkerConfig, timeoutMs: number): Promise<WorkerRun<WorkerReport>> {
  return runWorkerProcess<WorkerReport>(WORKER_SCRIPT, config, timeoutMs);
}

describe.skipIf(!REDIS_URL)(REDIS_URL ? 'rate limit across processes' : 'rate limit across processes (skipped: set LUMIO_TEST_REDIS_URL to run)', () => {
  const keyPrefix = createKeyPrefix();
  let server: CountingServer;

  beforeAll(async () => {
    server = await startCountingServer(BUDGET);
  });

  afterAll(async () => {
    await server?.close();
    const redis = await openRedis(REDIS_URL!);
    await deleteKeys(redis, keyPrefix);
    await redis.quit();
  });

  it(
    'shares one budget between processes',
    async () => {
      const startAt = Date.now() + STARTUP_MS;
      const configs = Array.from({ length: WORKERS }, (_, workerId) => ({
        workerId,
        redisUrl: REDIS_URL!,
        keyPrefix,
        targetUrl: server.url,
        budget: BUDGET,
        startAt,
        durationMs: DURATION_MS,
        maxRequests: MAX_REQUESTS_PER_WORKER,
        concurrency: 4,
      }));

      const runs = await Promise.all(configs.map((config) => runWorker(config, STARTUP_MS + DURATION_MS + 15_000)));
      const arrivals = [...server.arrivals].sort((left, right) => left - right);
      const spanMs = arrivals.at(-1)! - arrivals[0]!;
      // Any schedule within the budget fits at most `limit` requests in each started window of the span.
      const maxPossible = BUDGET.limit * (Math.floor(spanMs / BUDGET.intervalMs) + 1);

      for (const run of runs) {
        expect(run.stderr).toBe('');
        expect(run.exitCode).toBe(0);
        expect(run.report?.errors).toEqual([]);
        expect(run.report?.sent).toBeGreaterThan(0);
        expect(Object.keys(run.report?.statuses ?? {})).toEqual(['200']);
      }
      expect(server.rejected).toBe(0);
      expect(arrivals.length).toBe(runs.reduce((sum, run) => sum + (run.report?.sent ?? 0), 0));
      expect(arrivals.length).toBeLessThanOrEqual(WORKERS * MAX_REQUESTS_PER_WORKER);
      const summary = `${arrivals.length} arrivals over ${Math.round(spanMs)} ms, at most ${maxPossible} possible`;
      expect(smallestSpan(arrivals, BUDGET.limit), `21 arrivals within one window (${summary})`).toBeGreaterThanOrEqual(BUDGET.intervalMs);
      expect(spanMs, summary).toBeGreaterThan(DURATION_MS - 2 * BUDGET.intervalMs);
      expect(arrivals.length / maxPossible, `utilisation (${summary})`).toBeGreaterThan(0.85);
    },
    STARTUP_MS + DURATION_MS + 30_000,
  );
});

// Three processes share one Redis budget that is large enough for leases (192 per 2 s:
// leases of 192 / 64 = 3 units for 100 ms). It is kept that small so that the workers can
// use each window's budget in a short burst even on a loaded machine. The server counts
// arrivals itself and responds 429 to any request past the limit, so it shows whether leases
// ever let more through.
import type { RateLimitBudget } from '@lumio/plugin-sdk';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyPrefix, deleteKeys, openRedis, REDIS_SKIP_NAME, REDIS_URL } from './rate-limit-support.js';
import { smallestSpan, startCountingServer, type CountingServer } from './support/counting-server.js';
import type { WorkerConfig, WorkerReport } from './support/rate-limit-worker.js';
import { runWorkerProcess } from './support/worker-process.js';

const WORKER_SCRIPT = fileURLToPath(new URL('./support/rate-limit-worker.ts', import.meta.url));

const BUDGET: RateLimitBudget = { name: 'leased', scope: 'account', algorithm: 'slidingWindow', limit: 192, intervalMs: 2000 };
const WORKERS = 3;
const DURATION_MS = 6000;
const MAX_REQUESTS_PER_WORKER = 2000;
/** Time the workers get to start (tsx compiles on load) before they all begin sending. */
const STARTUP_MS = 3000;

describe.skipIf(!REDIS_URL)(REDIS_URL ? 'rate limit leases across processes' : `rate limit leases across processes (${REDIS_SKIP_NAME})`, () => {
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
    'keeps a leased budget across processes',
    async () => {
      const startAt = Date.now() + STARTUP_MS;
      const configs: WorkerConfig[] = Array.from({ length: WORKERS }, (_, workerId) => ({
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

      const runs = await Promise.all(configs.map((config) => runWorkerProcess<WorkerReport>(WORKER_SCRIPT, config, STARTUP_MS + DURATION_MS + 15_000)));
      const arrivals = [...server.arrivals].sort((left, right) => left - right);
      const spanMs = arrivals.at(-1)! - arrivals[0]!;
      // Utilisation counts whole windows from the first arrival only: the run's end cuts the
      // last window's burst short at a time that depends on the machine's load.
      const wholeWindows = Math.floor(spanMs / BUDGET.intervalMs);
      const maxPossible = BUDGET.limit * wholeWindows;
      const inWholeWindows = arrivals.filter((arrival) => arrival < arrivals[0]! + wholeWindows * BUDGET.intervalMs).length;
      const summary = `${arrivals.length} arrivals over ${Math.round(spanMs)} ms, ${inWholeWindows} in ${wholeWindows} whole windows of at most ${maxPossible}, ${server.rejected} rejected`;
      console.error(`rate limit leases across processes: ${summary}`);

      for (const run of runs) {
        expect(run.stderr).toBe('');
        expect(run.exitCode).toBe(0);
        expect(run.report?.errors).toEqual([]);
        expect(run.report?.sent).toBeGreaterThan(0);
        expect(run.report?.sent).toBeLessThan(MAX_REQUESTS_PER_WORKER);
      }
      expect(server.rejected, summary).toBe(0);
      expect(smallestSpan(arrivals, BUDGET.limit), `193 arrivals within one window (${summary})`).toBeGreaterThanOrEqual(BUDGET.intervalMs);
      expect(wholeWindows, summary).toBeGreaterThanOrEqual(2);
      expect(inWholeWindows / maxPossible, `utilisation (${summary})`).toBeGreaterThan(0.85);
    },
    STARTUP_MS + DURATION_MS + 30_000,
  );
});

// Acceptance run of the shared services across processes. Three processes, each with its
// own pipeline on one Redis server, send HubSpot `contacts.list` requests for one connection
// and token. They go to one HubSpot simulator with HubSpot's default limit of 100 requests
// per rolling 10 s, whose arrival times show whether the limit held and the budget was used.
import { fileURLToPath } from 'node:url';

import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { busiestWindow } from '../simulators/shared/index.js';
import { createRunId, deriveTestAccountKey } from './support/pipeline-hubspot.js';
import { deleteRunKeys, listRunKeys, openRedis, REDIS_URL } from './support/pipeline-redis.js';
import type { PipelineWorkerConfig, PipelineWorkerReport } from './support/pipeline-worker.js';
import { runWorkerProcess, type WorkerRun } from './support/worker-process.js';

const WORKER_SCRIPT = fileURLToPath(new URL('./support/pipeline-worker.ts', import.meta.url));

const LONG_RUN = process.env.LUMIO_LONG_TESTS === '1';
const DURATION_S = LONG_RUN ? 60 : 20;
const WORKERS = 3;
const CONCURRENCY = 4;
const TOKEN = 'pipeline-process-token';
/** HubSpot's default for a private app, which the simulator applies per token. */
const LIMIT = 100;
const INTERVAL_MS = 10_000;
/** Each worker's cap: twice what the whole budget allows over the run, so only a broken limiter reaches it. */
const MAX_REQUESTS_PER_WORKER = 2 * Math.ceil((LIMIT * DURATION_S * 1000) / INTERVAL_MS);
/** Time the workers get to start (tsx compiles on load) before they all begin sending. */
const STARTUP_MS = 4000;
const MIN_UTILISATION = 0.85;

function runWorker(config: PipelineWorkerConfig, timeoutMs: number): Promise<WorkerRun<PipelineWorkerReport>> {
  return runWorkerProcess<PipelineWorkerReport>(WORKER_SCRIPT, config, timeoutMs);
}

const SUITE_NAME = REDIS_URL ? 'request pipeline across processes' : 'request pipeline across processes (skipped: set LUMIO_TEST_REDIS_URL to run)';

describe.skipIf(!REDIS_URL)(SUITE_NAME, () => {
  const runId = createRunId();
  let simulator: HubSpotSimulator;
  let simulatorUrl: string;
  let redis: Redis;

  beforeAll(async () => {
    redis = await openRedis(REDIS_URL!);
    simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { contacts: 150 } });
    simulatorUrl = (await simulator.start()).url;
  });

  afterAll(async () => {
    await simulator?.close();
    if (redis) {
      await deleteRunKeys(redis, runId);
      await redis.quit();
    }
  });

  it(
    `three processes share HubSpot's limit for ${DURATION_S} s`,
    async () => {
      const startAt = Date.now() + STARTUP_MS;
      const durationMs = DURATION_S * 1000;
      const configs: PipelineWorkerConfig[] = Array.from({ length: WORKERS }, (_, workerId) => ({
        workerId,
        redisUrl: REDIS_URL!,
        simulatorUrl,
        token: TOKEN,
        connectionId: `conn_${runId}`,
        accountKey: deriveTestAccountKey(TOKEN, runId),
        startAt,
        durationMs,
        maxRequests: MAX_REQUESTS_PER_WORKER,
        concurrency: CONCURRENCY,
      }));

      const runs = await Promise.all(configs.map((config) => runWorker(config, STARTUP_MS + durationMs + 30_000)));
      const entries = simulator.requests.entries;
      const arrivals = entries.map((entry) => entry.time).sort((left, right) => left - right);
      const statuses = [...new Set(entries.map((entry) => entry.status))];
      const busiest = busiestWindow(arrivals, INTERVAL_MS);
      const utilisation = arrivals.length / ((LIMIT * durationMs) / INTERVAL_MS);
      const summary = `${arrivals.length} requests in ${DURATION_S} s, busiest ${INTERVAL_MS} ms window ${busiest}, utilisation ${utilisation.toFixed(3)}`;

      // The figures of the run, for the test log: they show how close to the limit it came.
      console.error(`pipeline across processes: ${summary}; per worker ${runs.map((run) => run.report?.succeeded).join(', ')}`);

      for (const run of runs) {
        expect(run.stderr, `worker stderr`).toBe('');
        expect(run.exitCode).toBe(0);
        expect(run.report?.shared).toBe(true);
        expect(run.report?.failures).toEqual({});
        expect(run.report?.succeeded).toBeGreaterThan(0);
        expect(run.report?.started).toBeLessThan(MAX_REQUESTS_PER_WORKER);
      }
      expect(await listRunKeys(redis, runId), 'rate-limit keys of this run in Redis').not.toEqual([]);
      expect(statuses, summary).toEqual([200]);
      expect(entries.every((entry) => entry.path === '/crm/v3/objects/contacts'), summary).toBe(true);
      expect(arrivals[0]!, summary).toBeGreaterThanOrEqual(startAt);
      expect(arrivals.at(-1)!, summary).toBeLessThan(startAt + durationMs + 1000);
      expect(busiest, summary).toBeLessThanOrEqual(LIMIT);
      expect(utilisation, summary).toBeGreaterThan(MIN_UTILISATION);
    },
    STARTUP_MS + DURATION_S * 1000 + 60_000,
  );
});

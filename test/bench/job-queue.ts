// Job queue throughput: enqueue N no-op jobs, then process them with concurrency C and
// time until every job is completed in storage. Runs the embedded queue on SQLite always,
// on PostgreSQL when LUMIO_TEST_DATABASE_URL is set, and BullMQ when LUMIO_TEST_REDIS_URL is
// set, all in one run. Not a test: it prints jobs per second, the median of the rounds. It
// also prints the ratio to a baseline measured in the same run on the same backend, which
// does the least work a queue does per job: one insert, a take and a done update in the
// database, or LPUSH, LMOVE and LREM on Redis.
//
//   LUMIO_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//   LUMIO_TEST_REDIS_URL=redis://127.0.0.1:6379 node --import tsx test/bench/job-queue.ts
//
// Options (environment): BENCH_JOBS (default 10000), BENCH_CONCURRENCY (default 50),
// BENCH_ROUNDS (default 3), BENCH_PRODUCERS (parallel enqueue calls, default 16).

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createBullmqJobQueue, createEmbeddedJobQueue, type JobQueue } from '../../platform/src/jobs/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { openStore } from '../../platform/src/store/index.js';
import { createTemporaryDatabase, POSTGRES_ADMIN_URL, type DatabaseKind } from '../store/temporary-database.js';
import { runDatabaseBaseline, runRedisBaseline, type BaselineRates } from './jobs/baseline-queue.js';
import { describeMachine, median } from './machine.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PRODUCERS = Number(process.env.BENCH_PRODUCERS ?? 16);
const REDIS_URL = process.env.LUMIO_TEST_REDIS_URL || undefined;
/** A round that has not processed every job within this time fails the run. */
const ROUND_TIMEOUT_MS = 300_000;
const TARGET_JOBS_PER_SECOND = 2_000;
const JOB_NAME = 'bench-noop';

type Backend = 'sqlite' | 'postgres' | 'bullmq';

interface RoundResult {
  enqueuePerSecond: number;
  processPerSecond: number;
}

/** An open queue for one round and how to remove everything the round stored. */
interface RoundQueue {
  queue: JobQueue;
  dispose(): Promise<void>;
}

async function openEmbedded(kind: DatabaseKind): Promise<RoundQueue> {
  const database = await createTemporaryDatabase(kind);
  const store = await openStore(database.options);
  const queue = createEmbeddedJobQueue({ store, logger: silentLogger });
  return {
    queue,
    async dispose() {
      await store.close();
      await database.dispose();
    },
  };
}

async function openBullmq(redisUrl: string): Promise<RoundQueue> {
  const prefix = `lumio-bench-jobs-${randomBytes(4).toString('hex')}`;
  const queue = await createBullmqJobQueue({ redisUrl, prefix, logger: silentLogger });
  return {
    queue,
    async dispose() {
      const redis = new Redis(redisUrl);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      await redis.quit();
    },
  };
}

/** Enqueues JOBS jobs from PRODUCERS concurrent loops, as several API requests would. */
async function enqueueAll(queue: JobQueue): Promise<number> {
  let next = 0;
  const producer = async () => {
    while (next < JOBS) {
      next += 1;
      await queue.enqueue(JOB_NAME, null);
    }
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: PRODUCERS }, producer));
  return JOBS / ((performance.now() - started) / 1000);
}

/** Starts the worker and returns jobs per second from its start until close() has stored every outcome. */
async function processAll(queue: JobQueue): Promise<number> {
  let processed = 0;
  let finish!: () => void;
  const allRan = new Promise<void>((resolve) => (finish = resolve));

  const started = performance.now();
  await queue.process(
    JOB_NAME,
    () => {
      processed += 1;
      if (processed === JOBS) finish();
      return null;
    },
    { concurrency: CONCURRENCY },
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Only ${processed} of ${JOBS} jobs ran within ${ROUND_TIMEOUT_MS} ms.`)), ROUND_TIMEOUT_MS);
  });
  await Promise.race([allRan, timeout]).finally(() => clearTimeout(timer));
  // close() returns once the workers stopped and every completion is stored.
  await queue.close();
  return JOBS / ((performance.now() - started) / 1000);
}

async function runRound(backend: Backend): Promise<RoundResult> {
  const round = backend === 'bullmq' ? await openBullmq(REDIS_URL as string) : await openEmbedded(backend);
  try {
    const enqueuePerSecond = await enqueueAll(round.queue);
    const processPerSecond = await processAll(round.queue);
    return { enqueuePerSecond, processPerSecond };
  } finally {
    await round.queue.close();
    await round.dispose();
  }
}

function runBaseline(backend: Backend): Promise<BaselineRates> {
  const options = { jobs: JOBS, producers: PRODUCERS, concurrency: CONCURRENCY };
  return backend === 'bullmq' ? runRedisBaseline(REDIS_URL as string, options) : runDatabaseBaseline(backend, options);
}

async function main(): Promise<void> {
  const backends: Backend[] = ['sqlite'];
  if (POSTGRES_ADMIN_URL) backends.push('postgres');
  if (REDIS_URL) backends.push('bullmq');

  console.log(`machine: ${describeMachine()}`);
  console.log(`command: node --import tsx test/bench/job-queue.ts (jobs ${JOBS}, concurrency ${CONCURRENCY}, producers ${PRODUCERS}, rounds ${ROUNDS}, median reported)`);
  if (!POSTGRES_ADMIN_URL) console.log('PostgreSQL skipped: set LUMIO_TEST_DATABASE_URL to measure it.');
  if (!REDIS_URL) console.log('BullMQ skipped: set LUMIO_TEST_REDIS_URL to measure it.');

  const results: Array<{ backend: Backend; enqueuePerSecond: number; processPerSecond: number; baselineProcessPerSecond: number; ratio: number; meetsTarget: boolean }> = [];
  for (const backend of backends) {
    const rounds: RoundResult[] = [];
    const baselines: BaselineRates[] = [];
    // Rounds alternate the queue and the baseline so drift on the machine affects both alike.
    for (let index = 0; index < ROUNDS; index += 1) {
      const result = await runRound(backend);
      rounds.push(result);
      const baseline = await runBaseline(backend);
      baselines.push(baseline);
      console.log(`  ${backend} round ${index + 1}: enqueue ${Math.round(result.enqueuePerSecond)} jobs/s, process ${Math.round(result.processPerSecond)} jobs/s; baseline process ${Math.round(baseline.processPerSecond)} jobs/s`);
    }
    const processPerSecond = Math.round(median(rounds.map((round) => round.processPerSecond)));
    const enqueuePerSecond = Math.round(median(rounds.map((round) => round.enqueuePerSecond)));
    const baselineProcessPerSecond = Math.round(median(baselines.map((baseline) => baseline.processPerSecond)));
    const ratio = Number((processPerSecond / baselineProcessPerSecond).toFixed(2));
    results.push({ backend, enqueuePerSecond, processPerSecond, baselineProcessPerSecond, ratio, meetsTarget: processPerSecond >= TARGET_JOBS_PER_SECOND });
  }

  console.log('');
  console.log('| backend | process jobs/s | enqueue jobs/s | baseline process jobs/s | ratio | target met |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const result of results) {
    console.log(`| ${result.backend} | ${result.processPerSecond} | ${result.enqueuePerSecond} | ${result.baselineProcessPerSecond} | ${result.ratio} | ${result.meetsTarget ? 'yes' : 'no'} |`);
  }
  console.log(`target: at least ${TARGET_JOBS_PER_SECOND} processed jobs/s on each backend`);
  console.log(JSON.stringify({ benchmark: 'job-queue', jobs: JOBS, concurrency: CONCURRENCY, producers: PRODUCERS, results }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

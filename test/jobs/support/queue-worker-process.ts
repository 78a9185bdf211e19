// A job worker in its own OS process, for the stalled-job tests. It opens the queue that
// its JSON argument describes and runs the jobs of one name. Its handler prints a line for
// each job it starts and never finishes, so the test can kill the process while it has a
// job. Every stdout line is one JSON event.
import { createBullmqJobQueue, createEmbeddedJobQueue, type JobQueue } from '../../../platform/src/jobs/index.js';
import { silentLogger } from '../../../platform/src/observability/index.js';
import { openStore } from '../../../platform/src/store/index.js';
import type { QueueProcessConfig } from './queue-process-config.js';

/** The process exits on its own after this time, so a test that never kills it cannot leave it running. */
const MAX_LIFETIME_MS = 60_000;

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

/** Opens the queue. The store of an embedded queue stays open until the process is killed. */
async function openQueue(config: QueueProcessConfig): Promise<JobQueue> {
  const settings = { logger: silentLogger, ...config.settings };
  if (config.backend === 'bullmq') {
    return createBullmqJobQueue({ ...settings, redisUrl: config.redisUrl, prefix: config.prefix });
  }

  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, logger: silentLogger });
  return createEmbeddedJobQueue({ ...settings, store });
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as QueueProcessConfig;
  setTimeout(() => process.exit(3), MAX_LIFETIME_MS).unref();

  const queue = await openQueue(config);
  await queue.process(
    config.name,
    async (job) => {
      emit({ event: 'started', id: job.id, attempt: job.attempt, pid: process.pid });
      await new Promise(() => undefined);
    },
    { concurrency: config.concurrency },
  );
  emit({ event: 'ready', pid: process.pid });

  // Keeps the process alive until the test kills it.
  setInterval(() => undefined, 1_000);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});

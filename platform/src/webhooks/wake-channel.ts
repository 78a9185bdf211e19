import { Redis } from 'ioredis';

import type { Logger } from '../observability/index.js';

const CHANNEL = 'lumio:webhooks:stored';

/**
 * Deliveries stored within this many milliseconds are announced once. A publish took
 * about 65 µs of CPU time in a profile of test/bench/webhook-intake.ts on a 2-core
 * machine. A woken worker waits its default wakeDelayMs of 10 ms for more events anyway,
 * so more frequent messages would not start the other workers sooner.
 */
const PUBLISH_INTERVAL_MS = 10;

export interface WakeChannel {
  /** Tells every process's worker that events were stored. */
  publish(): void;
  close(): Promise<void>;
}

/**
 * Wakes the webhook workers of all processes through Redis pub/sub when one process stores
 * events, so a worker in another process starts within milliseconds instead of at its next
 * poll. A lost message costs only latency: workers still poll the database.
 */
export async function openRedisWakeChannel(redisUrl: string, onWake: () => void, logger: Logger): Promise<WakeChannel> {
  const publisher = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const subscriber = new Redis(redisUrl, { lazyConnect: true });
  for (const client of [publisher, subscriber]) {
    client.on('error', (error: Error) => logger.warn({ err: error }, 'webhook wake channel Redis error; workers fall back to polling'));
  }

  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.subscribe(CHANNEL);
  subscriber.on('message', onWake);

  let pending = false;
  return {
    publish() {
      if (pending) return;
      pending = true;
      setTimeout(() => {
        pending = false;
        publisher.publish(CHANNEL, '1').catch(() => undefined);
      }, PUBLISH_INTERVAL_MS);
    },
    async close() {
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}

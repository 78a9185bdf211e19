// The BullMQ queue when its Redis server dies. Close returns by its deadline instead of
// waiting for Redis forever. The reconnection errors of every client, queue and worker are
// logged as one warning per interval, not as one line per attempt from each of them.
import type { ChildProcess } from 'node:child_process';

import { afterEach, describe, expect, it } from 'vitest';

import { createBullmqJobQueue } from '../../platform/src/jobs/index.js';
import { createLogger } from '../../platform/src/observability/index.js';
import { freePort, HAS_REDIS_SERVER, startRedis, stopRedis } from '../support/own-redis.js';

describe.skipIf(!HAS_REDIS_SERVER)('BullMQ queue without Redis', () => {
  let redis: ChildProcess | undefined;

  afterEach(async () => {
    if (redis) await stopRedis(redis);
  });

  it('closes by its deadline', async () => {
    const port = await freePort();
    redis = await startRedis(port);
    const logs: Record<string, any>[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(JSON.parse(line)) } });
    const queue = await createBullmqJobQueue({ redisUrl: `redis://127.0.0.1:${port}`, prefix: 'lumio-down-test', logger, closeTimeoutMs: 1_000 });
    await queue.process('noop', async () => undefined);
    await queue.process('other', async () => undefined);

    await stopRedis(redis);
    // Two seconds of reconnection attempts by two clients, two queues and two workers.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const started = Date.now();
    await queue.close();
    const closeMs = Date.now() - started;

    expect(closeMs).toBeGreaterThanOrEqual(900);
    expect(closeMs).toBeLessThan(5_000);
    expect(logs.some((entry) => entry.msg.startsWith('job queue did not close in time'))).toBe(true);
    expect(logs.at(-1)?.msg).toBe('job queue closed');
    const unreachable = logs.filter((entry) => entry.msg === 'job queue cannot reach Redis; ioredis keeps reconnecting');
    expect(unreachable).toHaveLength(1);
    expect(unreachable[0]?.level).toBe(40);
    expect(logs.filter((entry) => entry.msg === 'BullMQ worker error' || entry.msg === 'BullMQ queue error')).toEqual([]);
  });

  it('rejects a bad close timeout', async () => {
    const logger = createLogger({ level: 'silent' });

    await expect(createBullmqJobQueue({ redisUrl: 'redis://127.0.0.1:1', logger, closeTimeoutMs: 0 })).rejects.toMatchObject({ code: 'JOB_QUEUE_SETTINGS_INVALID' });
  });
});

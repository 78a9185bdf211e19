import type { Redis } from 'ioredis';

import type { LimitedWarning } from '../../observability/index.js';
import { serializeCachedResponse, type CachedResponse } from './cached-response.js';
import { isRedisUnavailable } from './redis-status.js';
import { timeoutError } from './with-timeout.js';

export interface L2WriterOptions {
  redis: Redis;
  /** Deadline for one SET in milliseconds. A slower SET is logged as a failed write. */
  timeoutMs: number;
  warn: LimitedWarning;
}

export interface L2Writer {
  /** Queues a SET of the entry with a time to live of `ttlMs` milliseconds. Failures are logged, never raised. */
  write(entryKey: string, entry: CachedResponse, ttlMs: number): void;
}

const WRITE_FAILED = 'response cache could not write an entry to Redis; other processes will load it themselves';

interface PendingWrite {
  entryKey: string;
  entry: CachedResponse;
  ttlMs: number;
}

/**
 * Creates the writer of L2 entries. A write is not sent at once: it corks the client's
 * socket, and a `process.nextTick` callback sends the SET and uncorks it. That is after
 * the lookup that stored the entry has resolved, but before this process handles more I/O
 * or timers. Every command the process sends in between, such as the read of the next
 * request in a sequential loop, leaves in the same socket write as the SET. On the 2-vCPU
 * machine of test/bench/pipeline-overhead.ts, a SET written on its own took a median of
 * 30 to 50 µs inside the call, mostly in the socket write. One write per cache miss in
 * place of two cut the median of a miss there by about 30 µs.
 */
export function createL2Writer(options: L2WriterOptions): L2Writer {
  const { redis, timeoutMs, warn } = options;
  let pending: PendingWrite[] = [];
  // The socket corked for the pending writes. A client that has not connected yet has no
  // socket, so its writes are sent uncorked.
  let corked: Redis['stream'] | undefined;

  function flush(): void {
    const writes = pending;
    const stream = corked;
    pending = [];
    corked = undefined;
    for (const write of writes) {
      try {
        send(write);
      } catch (error) {
        warn({ err: error, key: write.entryKey }, WRITE_FAILED);
      }
    }
    // The SETs join the commands written since the cork and leave with them in one write.
    stream?.uncork();
  }

  // A plain timer in place of `withTimeout`, because no caller awaits the SET, so a promise
  // race per write would only add work.
  function send({ entryKey, entry, ttlMs }: PendingWrite): void {
    let text: string;
    try {
      text = serializeCachedResponse(entry);
    } catch (error) {
      warn({ err: error, key: entryKey }, 'response cache could not serialize an entry for Redis; other processes will load it themselves');
      return;
    }

    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      warn({ err: timeoutError('SET', timeoutMs) }, WRITE_FAILED);
    }, timeoutMs);
    redis.set(entryKey, text, 'PX', Math.ceil(ttlMs)).then(
      () => clearTimeout(timer),
      (error: unknown) => {
        clearTimeout(timer);
        if (!timedOut) warn({ err: error }, WRITE_FAILED);
      },
    );
  }

  return {
    write(entryKey, entry, ttlMs) {
      if (isRedisUnavailable(redis)) return;

      if (pending.length === 0) {
        // ioredis 5 writes each command of a ready client straight to `stream`, so the
        // corked socket buffers them until the flush.
        if (redis.status === 'ready') {
          corked = redis.stream;
          corked.cork();
        }
        process.nextTick(flush);
      }
      pending.push({ entryKey, entry, ttlMs });
    },
  };
}

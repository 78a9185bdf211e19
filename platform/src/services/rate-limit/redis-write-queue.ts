/** An operation of `apply_writes` in redis-scripts.ts. */
export type QueuedWriteOperation = 'complete' | 'release' | 'refund';

/** Writes taken from the queue to travel with one script. */
export interface WriteBatch {
  /** One key per write. */
  keys: string[];
  /** Four per write: the operation and its operands. */
  args: (string | number)[];
  /** Settles the promises of the batch's writes: with an error when the script failed. */
  settle(error?: unknown): void;
}

export interface WriteQueue {
  /**
   * Queues a write that needs no reply and returns a promise that settles once Redis
   * applied it, or rejects when the script that carried it failed.
   */
  push(key: string, operation: QueuedWriteOperation, first: string | number, second: string | number, third: string | number): Promise<void>;
  /** Takes every queued write, to be sent ahead of another script; undefined when none is queued. */
  take(): WriteBatch | undefined;
}

/** Queued writes are sent on their own once this many wait, whatever follows. */
const MAX_QUEUED_WRITES = 64;

/**
 * Creates the queue of writes that a Redis budget store sends with its next script instead
 * of one command each. A command of its own costs the client a socket write and Redis a
 * script call, which take longer than the write's own work. Writes queued while a request's response is handled
 * usually reach Redis inside the acquire of the next request. When no script follows before
 * the event loop's check phase (`setImmediate`), `sendAlone` sends them alone, so they are
 * late by at most one turn of the event loop.
 */
export function createWriteQueue(sendAlone: (batch: WriteBatch) => void): WriteQueue {
  let batch: (WriteBatch & { promise: Promise<void> }) | undefined;
  let flushScheduled = false;

  function flush(): void {
    flushScheduled = false;
    const taken = take();
    if (taken !== undefined) sendAlone(taken);
  }

  function take(): WriteBatch | undefined {
    const taken = batch;
    batch = undefined;
    return taken;
  }

  function openBatch(): WriteBatch & { promise: Promise<void> } {
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<void>((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    // Every caller of `push` handles its own promise; this keeps a batch whose callers
    // all dropped theirs from being reported as an unhandled rejection.
    promise.catch(() => undefined);
    return { keys: [], args: [], promise, settle: (error) => (error === undefined ? resolve() : reject(error)) };
  }

  return {
    push(key, operation, first, second, third) {
      batch ??= openBatch();
      const current = batch;
      current.keys.push(key);
      current.args.push(operation, first, second, third);

      if (current.keys.length >= MAX_QUEUED_WRITES) {
        flush();
      } else if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
      return current.promise;
    },
    take,
  };
}

import type { Logger } from '../../observability/index.js';
import type { InsertDeliveryResult, NewDelivery, Store } from '../../store/index.js';

interface PendingWrite {
  delivery: NewDelivery;
  resolve(result: InsertDeliveryResult): void;
  reject(error: unknown): void;
}

/** Most deliveries committed in one transaction. */
const MAX_BATCH = 200;

export interface IntakeWriterOptions {
  store: Store;
  logger: Logger;
  /**
   * Transactions that may run at the same time. Default 1, right for SQLite, which runs one
   * writer at a time. On PostgreSQL a few let one group commit while the next waits on its
   * round trip, instead of each group waiting for the one before.
   */
  maxConcurrentCommits?: number;
}

/**
 * Commits deliveries in groups: the deliveries that arrive in one turn of the event loop,
 * or while the allowed transactions run, go together into the next transaction. Each
 * caller's promise settles only after its own delivery's transaction committed, so the
 * router still sends 2xx only for stored events, while a busy endpoint pays for one commit
 * per group instead of one per delivery.
 */
export class IntakeWriter {
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #maxConcurrentCommits: number;
  #pending: PendingWrite[] = [];
  #running = 0;
  #flushScheduled = false;

  constructor(options: IntakeWriterOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#maxConcurrentCommits = Math.max(1, options.maxConcurrentCommits ?? 1);
  }

  write(delivery: NewDelivery): Promise<InsertDeliveryResult> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ delivery, resolve, reject });
      this.#scheduleFlush();
    });
  }

  /**
   * Starts commits once the current turn of the event loop ends. better-sqlite3 runs a
   * transaction synchronously, so a commit started at once would hold each delivery alone.
   * Waiting for setImmediate lets every delivery read in the same turn join it.
   */
  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#running >= this.#maxConcurrentCommits) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#startCommits();
    });
  }

  /** Starts a commit of pending deliveries for each free transaction; one that ends starts the next. */
  #startCommits(): void {
    while (this.#pending.length > 0 && this.#running < this.#maxConcurrentCommits) {
      const batch = this.#pending.splice(0, MAX_BATCH);
      this.#running += 1;
      void this.#commit(batch).finally(() => {
        this.#running -= 1;
        this.#startCommits();
      });
    }
  }

  async #commit(batch: PendingWrite[]): Promise<void> {
    try {
      const results = await this.#store.webhookEvents.insertDeliveries(batch.map((item) => item.delivery));
      batch.forEach((item, index) => {
        const result = results[index];
        if (result) item.resolve(result);
        else item.reject(new Error('The store returned fewer results than deliveries written.'));
      });
    } catch (error) {
      this.#logger.error({ err: error, deliveries: batch.length }, 'storing webhook deliveries failed; the providers get 503 and retry');
      for (const item of batch) item.reject(error);
    }
  }
}

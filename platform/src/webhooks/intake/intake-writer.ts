import type { Logger } from '../../observability/index.js';
import type { InsertDeliveryResult, NewDelivery, Store } from '../../store/index.js';

interface PendingWrite {
  delivery: NewDelivery;
  resolve(result: InsertDeliveryResult): void;
  reject(error: unknown): void;
}

/** Most deliveries committed in one transaction. */
const MAX_BATCH = 200;

/**
 * Commits deliveries in groups: the deliveries that arrive in one turn of the event loop,
 * or while a transaction runs, go together into the next transaction. Each caller's
 * promise settles only after its own delivery's transaction committed, so the router still
 * sends 2xx only for stored events, while a busy endpoint pays for one commit per group
 * instead of one per delivery.
 */
export class IntakeWriter {
  readonly #store: Store;
  readonly #logger: Logger;
  #pending: PendingWrite[] = [];
  #flushing = false;
  #flushScheduled = false;

  constructor(options: { store: Store; logger: Logger }) {
    this.#store = options.store;
    this.#logger = options.logger;
  }

  write(delivery: NewDelivery): Promise<InsertDeliveryResult> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ delivery, resolve, reject });
      this.#scheduleFlush();
    });
  }

  /**
   * Starts a flush once the current turn of the event loop ends. better-sqlite3 runs a
   * transaction synchronously, so a flush started at once would commit each delivery
   * alone. Waiting for setImmediate lets every delivery read in the same turn join it.
   */
  #scheduleFlush(): void {
    if (this.#flushing || this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0, MAX_BATCH);
        await this.#commit(batch);
      }
    } finally {
      this.#flushing = false;
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

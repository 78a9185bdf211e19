import type { JobCompletion, JobRepository } from '../../store/index.js';

interface PendingCompletion extends JobCompletion {
  resolve(completed: boolean): void;
  reject(error: unknown): void;
}

/**
 * Stores job completions in batches: completions that arrive while a batch is being
 * written go into the next one. Each write is one statement and one commit, so with many
 * short jobs the database syncs to disk once per batch rather than once per job.
 */
export class CompletionBatcher {
  readonly #jobs: JobRepository;
  readonly #workerId: string;
  #pending: PendingCompletion[] = [];
  #flushing = false;

  constructor(jobs: JobRepository, workerId: string) {
    this.#jobs = jobs;
    this.#workerId = workerId;
  }

  /** Stores a completion. Resolves to false when the worker no longer held the job's lock. */
  complete(id: string, result: unknown): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ id, result, resolve, reject });
      if (this.#flushing) return;

      // Starting on the next turn of the event loop lets jobs that finish in the same turn join the batch.
      this.#flushing = true;
      setImmediate(() => void this.#flush());
    });
  }

  async #flush(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        const completed = new Set(await this.#jobs.complete(this.#workerId, batch, Date.now()));
        for (const item of batch) item.resolve(completed.has(item.id));
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    this.#flushing = false;
  }
}

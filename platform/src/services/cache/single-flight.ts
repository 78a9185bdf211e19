export interface SingleFlight<T> {
  /**
   * Runs `task` unless a task for the same key is still running, in which case it
   * returns that task's promise. The key is free again once the task settles, and a
   * rejection reaches every caller that joined it.
   */
  run(key: string, task: () => Promise<T>): Promise<T>;
  /** Number of tasks running now. */
  readonly size: number;
}

/** Creates a coalescer for concurrent work within this process. */
export function createSingleFlight<T>(): SingleFlight<T> {
  const running = new Map<string, Promise<T>>();

  function run(key: string, task: () => Promise<T>): Promise<T> {
    const existing = running.get(key);
    if (existing !== undefined) return existing;

    const started = Promise.resolve()
      .then(task)
      .finally(() => running.delete(key));
    running.set(key, started);
    return started;
  }

  return {
    run,
    get size() {
      return running.size;
    },
  };
}

/**
 * Iterates `source` while fetching up to `depth` items ahead, so the next page's HTTP
 * request is in flight while the current page is mapped and stored. Items still come out
 * in order, and an error from the source surfaces when its position is reached, after the
 * items before it were handled.
 */
export async function* prefetch<T>(source: AsyncIterable<T>, depth = 1): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const ahead: Promise<IteratorResult<T>>[] = [];
  const pull = () => {
    // A rejected pull is handled when it is awaited below. This handler keeps Node from
    // reporting it as unhandled while it waits its turn in the queue.
    const next = iterator.next();
    next.catch(() => undefined);
    ahead.push(next);
  };

  try {
    pull();
    while (ahead.length > 0) {
      const result = await ahead.shift()!;
      if (result.done) return;
      while (ahead.length < depth) pull();
      yield result.value;
    }
  } finally {
    // Stops the source when the consumer leaves early (an error or a break).
    await iterator.return?.();
  }
}

import { describe, expect, it } from 'vitest';

import { prefetch } from './prefetch.js';

async function* numbers(count: number, log: string[], failAt?: number): AsyncGenerator<number> {
  for (let index = 0; index < count; index += 1) {
    log.push(`fetch ${index}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (index === failAt) throw new Error(`page ${index} failed`);
    yield index;
  }
}

describe('prefetch', () => {
  it('keeps the order and fetches one ahead', async () => {
    const log: string[] = [];
    const seen: number[] = [];

    for await (const value of prefetch(numbers(4, log))) {
      log.push(`handle ${value}`);
      seen.push(value);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }

    expect(seen).toEqual([0, 1, 2, 3]);
    // Page 1 is requested before page 0 is handled.
    expect(log.indexOf('fetch 1')).toBeLessThan(log.indexOf('handle 0'));
  });

  it('surfaces an error after the pages before it', async () => {
    const log: string[] = [];
    const seen: number[] = [];

    await expect(async () => {
      for await (const value of prefetch(numbers(5, log, 2))) seen.push(value);
    }).rejects.toThrow('page 2 failed');
    expect(seen).toEqual([0, 1]);
  });

  it('stops the source when the consumer breaks', async () => {
    let finished = false;
    async function* source() {
      try {
        for (let index = 0; ; index += 1) yield index;
      } finally {
        finished = true;
      }
    }

    for await (const value of prefetch(source())) if (value === 3) break;

    expect(finished).toBe(true);
  });
});

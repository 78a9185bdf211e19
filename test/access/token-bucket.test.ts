import { describe, expect, it } from 'vitest';

import { TokenBuckets } from '../../platform/src/access/index.js';

function clock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('token buckets', () => {
  it('allow a burst, then refill', () => {
    const time = clock();
    const buckets = new TokenBuckets({ capacity: 3, refillPerSecond: 1, now: time.now });

    const burst = [buckets.take('a'), buckets.take('a'), buckets.take('a')];
    const rejected = buckets.take('a');
    time.advance(1000);
    const refilled = buckets.take('a');

    expect(burst.every((result) => result.allowed)).toBe(true);
    expect(rejected).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(refilled.allowed).toBe(true);
  });

  it('count each key alone', () => {
    const buckets = new TokenBuckets({ capacity: 1, refillPerSecond: 1, now: clock().now });

    expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.take('a').allowed).toBe(false);
    expect(buckets.take('b').allowed).toBe(true);
  });

  it('report the wait for a slow refill', () => {
    const buckets = new TokenBuckets({ capacity: 5, refillPerSecond: 5 / 900, now: clock().now });
    for (let attempt = 0; attempt < 5; attempt += 1) buckets.take('a');

    expect(buckets.check('a')).toEqual({ allowed: false, retryAfterSeconds: 180 });
  });

  it('check without taking', () => {
    const buckets = new TokenBuckets({ capacity: 1, refillPerSecond: 1, now: clock().now });

    expect(buckets.check('a').allowed).toBe(true);
    expect(buckets.check('a').allowed).toBe(true);
    expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.check('a').allowed).toBe(false);
  });

  it('drop full buckets past the key limit', () => {
    const time = clock();
    const buckets = new TokenBuckets({ capacity: 1, refillPerSecond: 1, maxKeys: 2, now: time.now });
    buckets.take('a');
    buckets.take('b');
    time.advance(500);
    buckets.take('c');

    // The map was full and no bucket had refilled, so the oldest (a) went and b stayed.
    expect(buckets.take('b').allowed).toBe(false);
    expect(buckets.take('a').allowed).toBe(true);
  });
});

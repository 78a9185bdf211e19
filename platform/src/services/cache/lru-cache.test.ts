import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.js';

function createClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

describe('LruCache', () => {
  it('evicts least recently used first', () => {
    const cache = new LruCache<string>({ maxItems: 3 });
    cache.set('a', 'A', 60_000);
    cache.set('b', 'B', 60_000);
    cache.set('c', 'C', 60_000);

    expect(cache.get('a')).toBe('A');
    cache.set('d', 'D', 60_000);

    expect(cache.size).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.get('c')).toBe('C');
    expect(cache.get('d')).toBe('D');
  });

  it('evicts in insertion order without reads', () => {
    const cache = new LruCache<number>({ maxItems: 2 });
    cache.set('first', 1, 60_000);
    cache.set('second', 2, 60_000);
    cache.set('third', 3, 60_000);
    cache.set('fourth', 4, 60_000);

    expect(cache.get('first')).toBeUndefined();
    expect(cache.get('second')).toBeUndefined();
    expect(cache.get('third')).toBe(3);
    expect(cache.get('fourth')).toBe(4);
  });

  it('refreshes recency on overwrite', () => {
    const cache = new LruCache<string>({ maxItems: 2 });
    cache.set('a', 'A1', 60_000);
    cache.set('b', 'B', 60_000);
    cache.set('a', 'A2', 60_000);
    cache.set('c', 'C', 60_000);

    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A2');
  });

  it('expires entries after their ttl', () => {
    const clock = createClock();
    const cache = new LruCache<string>({ maxItems: 10, now: clock.now });
    cache.set('short', 'S', 1_000);
    cache.set('long', 'L', 5_000);

    clock.advance(999);
    expect(cache.get('short')).toBe('S');

    clock.advance(1);
    expect(cache.get('short')).toBeUndefined();
    expect(cache.get('long')).toBe('L');
    expect(cache.size).toBe(1);

    clock.advance(4_000);
    expect(cache.get('long')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('reads do not extend ttl', () => {
    const clock = createClock();
    const cache = new LruCache<string>({ maxItems: 10, now: clock.now });
    cache.set('key', 'value', 1_000);

    clock.advance(600);
    expect(cache.get('key')).toBe('value');
    clock.advance(600);

    expect(cache.get('key')).toBeUndefined();
  });

  it('stores nothing with zero capacity', () => {
    const cache = new LruCache<string>({ maxItems: 0 });
    cache.set('key', 'value', 60_000);

    expect(cache.get('key')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('ignores non-positive ttl', () => {
    const cache = new LruCache<string>({ maxItems: 5 });
    cache.set('zero', 'value', 0);
    cache.set('negative', 'value', -5);

    expect(cache.size).toBe(0);
  });

  it('deletes keys by prefix', () => {
    const cache = new LruCache<number>({ maxItems: 10 });
    cache.set('conn-a:1', 1, 60_000);
    cache.set('conn-a:2', 2, 60_000);
    cache.set('conn-b:1', 3, 60_000);

    expect(cache.deleteByPrefix('conn-a:')).toBe(2);
    expect(cache.get('conn-a:1')).toBeUndefined();
    expect(cache.get('conn-b:1')).toBe(3);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRandomId, createTimeOrderedId, timeOrderedIdPattern } from './ids.js';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** Decodes the 10-character time part independently of the encoder. */
function decodeTime(id: string, prefix: string): number {
  const time = id.slice(prefix.length + 1, prefix.length + 11);
  let value = 0;
  for (const character of time) {
    value = value * 32 + CROCKFORD.indexOf(character);
  }
  return value;
}

describe('createRandomId', () => {
  it('has prefix and 26 characters', () => {
    const id = createRandomId('ws');

    expect(id).toMatch(/^ws_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(createRandomId('ws')).not.toBe(id);
  });

  it('stays unique across refills of the random pool', () => {
    // 1,000 ids take 16 KB of random bytes, several refills of the 4 KiB pool.
    const ids = new Set(Array.from({ length: 1_000 }, () => createRandomId('ws')));

    expect(ids.size).toBe(1_000);
  });
});

describe('createTimeOrderedId', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('encodes the creation time', () => {
    const before = Date.now();
    const id = createTimeOrderedId('rec');
    const after = Date.now();

    expect(id).toMatch(timeOrderedIdPattern('rec'));
    expect(decodeTime(id, 'rec')).toBeGreaterThanOrEqual(before);
    expect(decodeTime(id, 'rec')).toBeLessThanOrEqual(after + 1);
  });

  it('increases within one millisecond', () => {
    vi.useFakeTimers({ now: new Date('2024-05-01T00:00:00Z'), toFake: ['Date'] });

    const ids = Array.from({ length: 1_000 }, () => createTimeOrderedId('rec'));

    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('increases when the clock steps back', () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z'), toFake: ['Date'] });
    const later = createTimeOrderedId('rec');
    vi.setSystemTime(new Date('2029-12-31T23:59:00Z'));

    const earlierClock = createTimeOrderedId('rec');

    expect(earlierClock > later).toBe(true);
  });

  it('sorts by time across milliseconds', () => {
    vi.useFakeTimers({ now: new Date('2031-01-01T00:00:00Z'), toFake: ['Date'] });
    const first = createTimeOrderedId('rec');
    vi.setSystemTime(new Date('2031-01-01T00:00:00.001Z'));

    const second = createTimeOrderedId('rec');

    expect(second > first).toBe(true);
    expect(decodeTime(second, 'rec') - decodeTime(first, 'rec')).toBe(1);
  });
});

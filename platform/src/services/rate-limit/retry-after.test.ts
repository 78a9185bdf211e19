import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
  });

  it('reads fractional seconds', () => {
    expect(parseRetryAfter('2.5', NOW)).toBe(2500);
  });

  it('reads an HTTP-date', () => {
    expect(parseRetryAfter('Wed, 15 Jan 2025 12:00:45 GMT', NOW)).toBe(45_000);
  });

  it('reads a past date as zero', () => {
    expect(parseRetryAfter('Wed, 15 Jan 2025 11:59:00 GMT', NOW)).toBe(0);
  });

  it('rejects invalid values', () => {
    for (const value of ['-5', 'soon', '', '15 Jan 2025 12:00:45', 'Wed, 15 Jan 2025 12:00:45 PST']) {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    }
  });

  it('returns undefined without a value', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});

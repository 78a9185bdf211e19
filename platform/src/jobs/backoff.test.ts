import { describe, expect, it } from 'vitest';
import { computeBackoffDelay, MAX_BACKOFF_MS } from './backoff.js';

describe('computeBackoffDelay', () => {
  it.each([
    [1, 500],
    [2, 1_000],
    [3, 2_000],
    [6, 16_000],
  ])('doubles exponential waits: after %i failures waits %i ms', (failedAttempts, expected) => {
    expect(computeBackoffDelay({ type: 'exponential', delayMs: 500 }, failedAttempts)).toBe(expected);
  });

  it('keeps fixed waits constant', () => {
    const waits = [1, 2, 5, 40].map((failed) => computeBackoffDelay({ type: 'fixed', delayMs: 750 }, failed));

    expect(waits).toEqual([750, 750, 750, 750]);
  });

  it('caps waits at seven days', () => {
    expect(computeBackoffDelay({ type: 'exponential', delayMs: 86_400_000 }, 100)).toBe(MAX_BACKOFF_MS);
    expect(MAX_BACKOFF_MS).toBe(7 * 24 * 60 * 60 * 1000);
  });

  it('waits delayMs after a zero count', () => {
    expect(computeBackoffDelay({ type: 'exponential', delayMs: 300 }, 0)).toBe(300);
  });

  it('returns zero for a zero delay', () => {
    expect(computeBackoffDelay({ type: 'exponential', delayMs: 0 }, 9)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';

import { nextAttemptAt } from './retry-schedule.js';

describe('nextAttemptAt', () => {
  it('doubles the ceiling with each attempt', () => {
    const now = 1_000_000;
    expect(nextAttemptAt(1, 8, now, () => 1)).toBe(now + 1_000);
    expect(nextAttemptAt(2, 8, now, () => 1)).toBe(now + 2_000);
    expect(nextAttemptAt(5, 8, now, () => 1)).toBe(now + 16_000);
  });

  it('draws the delay between zero and the ceiling', () => {
    expect(nextAttemptAt(3, 8, 0, () => 0)).toBe(0);
    expect(nextAttemptAt(3, 8, 0, () => 0.5)).toBe(2_000);
  });

  it('caps the delay at fifteen minutes', () => {
    expect(nextAttemptAt(30, 40, 0, () => 1)).toBe(15 * 60_000);
  });

  it('gives up once the attempts are spent', () => {
    expect(nextAttemptAt(8, 8, 0)).toBeNull();
    expect(nextAttemptAt(9, 8, 0)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';

import { checkRetrySchedule, nextRetryAt, STANDARD_RETRY_SCHEDULE_MS } from './retry-schedule.js';

const NOW = 1_700_000_000_000;

describe('nextRetryAt', () => {
  it('follows the standard schedule without jitter', () => {
    const middle = () => 0.5;
    const delays = [1, 2, 3, 4, 5, 6, 7].map((attempts) => (nextRetryAt(attempts, STANDARD_RETRY_SCHEDULE_MS, NOW, middle) ?? 0) - NOW);

    expect(delays).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
  });

  it('gives up after the eighth attempt', () => {
    expect(STANDARD_RETRY_SCHEDULE_MS).toHaveLength(8);
    expect(nextRetryAt(8, STANDARD_RETRY_SCHEDULE_MS, NOW)).toBeNull();
    expect(nextRetryAt(9, STANDARD_RETRY_SCHEDULE_MS, NOW)).toBeNull();
  });

  it('keeps jitter within 10 percent', () => {
    expect(nextRetryAt(2, STANDARD_RETRY_SCHEDULE_MS, NOW, () => 0)).toBe(NOW + 270_000);
    expect(nextRetryAt(2, STANDARD_RETRY_SCHEDULE_MS, NOW, () => 0.999_999)).toBe(NOW + 330_000);
  });

  it('uses an injected schedule', () => {
    const schedule = [0, 10, 20];

    expect(nextRetryAt(1, schedule, NOW, () => 0.5)).toBe(NOW + 10);
    expect(nextRetryAt(2, schedule, NOW, () => 0.5)).toBe(NOW + 20);
    expect(nextRetryAt(3, schedule, NOW, () => 0.5)).toBeNull();
  });
});

describe('checkRetrySchedule', () => {
  it('accepts the standard schedule', () => {
    expect(() => checkRetrySchedule(STANDARD_RETRY_SCHEDULE_MS)).not.toThrow();
  });

  it('rejects empty, negative and fractional delays', () => {
    for (const schedule of [[], [0, -1], [0, 1.5], [Number.NaN]]) {
      expect(() => checkRetrySchedule(schedule)).toThrow(expect.objectContaining({ code: 'EVENT_RETRY_SCHEDULE_INVALID' }));
    }
  });
});

import { describe, expect, it } from 'vitest';

import { computeProgress } from './progress.js';

describe('computeProgress', () => {
  it('projects the finish time from the rate so far', () => {
    const started = Date.parse('2026-01-10T15:00:00.000Z');
    const now = started + 10_000;

    const progress = computeProgress(1250, 5000, false, started, now);

    expect(progress.percentage).toBe(25);
    // 1,250 records in 10 s leaves 3,750 records, so 30 s more.
    expect(progress.eta).toBe('2026-01-10T15:00:40.000Z');
  });

  it('reports no percentage without a total', () => {
    const progress = computeProgress(300, null, false, 0, 1000);

    expect(progress.percentage).toBeNull();
    expect(progress.eta).toBeNull();
  });

  it('stays below 100 when the run outgrows an estimate', () => {
    const progress = computeProgress(120, 100, true, 0, 1000);

    expect(progress.total).toBe(120);
    expect(progress.percentage).toBe(99);
  });
});

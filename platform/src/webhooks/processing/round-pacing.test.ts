import { describe, expect, it } from 'vitest';

import { nextBatchSize, nextLoadEstimate, pauseAfterRound, shareForLoad } from './round-pacing.js';

describe('pauseAfterRound', () => {
  it('keeps the worker within its share', () => {
    expect(pauseAfterRound(10, 0.1)).toBeCloseTo(90);
    expect(pauseAfterRound(10, 0.25)).toBeCloseTo(30);
  });

  it('clamps the share to 0.05..1', () => {
    expect(pauseAfterRound(10, 0)).toBeCloseTo(190);
    expect(pauseAfterRound(10, 2)).toBe(1);
  });

  it('pauses from 1 ms to 1 s', () => {
    expect(pauseAfterRound(500, 0.1)).toBe(1_000);
    expect(pauseAfterRound(10, 1)).toBe(1);
  });
});

describe('shareForLoad', () => {
  it('takes the idle part of the loop', () => {
    expect(shareForLoad(0.2, 0.1)).toBeCloseTo(0.8);
    expect(shareForLoad(0, 0.1)).toBe(1);
  });

  it('keeps the minimum under full load', () => {
    expect(shareForLoad(1, 0.1)).toBe(0.1);
    expect(shareForLoad(0.95, 0.1)).toBe(0.1);
  });
});

describe('nextLoadEstimate', () => {
  it('averages the new measurement in', () => {
    expect(nextLoadEstimate(1, 0)).toBeCloseTo(0.5);
    expect(nextLoadEstimate(0.5, 0)).toBeCloseTo(0.25);
    expect(nextLoadEstimate(0.2, 1)).toBeCloseTo(0.6);
  });
});

describe('nextBatchSize', () => {
  const quiet = { batchSize: 100, maxBatchSize: 500, intakeBusy: false, roundMs: 20, lockMs: 60_000 };

  it('doubles up to the maximum while the intake is idle', () => {
    expect(nextBatchSize({ ...quiet, limit: 100 })).toBe(200);
    expect(nextBatchSize({ ...quiet, limit: 400 })).toBe(500);
    expect(nextBatchSize({ ...quiet, limit: 500 })).toBe(500);
  });

  it('returns to the base size while the intake is busy', () => {
    expect(nextBatchSize({ ...quiet, limit: 400, intakeBusy: true })).toBe(100);
  });

  it('halves after a slow round', () => {
    // 3 s is a twentieth of the 60 s lock.
    expect(nextBatchSize({ ...quiet, limit: 400, roundMs: 3_000 })).toBe(200);
    expect(nextBatchSize({ ...quiet, limit: 100, roundMs: 3_000 })).toBe(100);
  });
});

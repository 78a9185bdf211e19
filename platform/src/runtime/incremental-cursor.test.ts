import { describe, expect, it } from 'vitest';
import { compareCursorPoints, compareTieBreakers, cursorToEpochMs, formatSince } from './incremental-cursor.js';
import type { IncrementalSync } from './manifest-types.js';

describe('cursorToEpochMs', () => {
  it('parses each format', () => {
    expect(cursorToEpochMs('2024-05-01T12:00:00.000Z', 'iso8601')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(cursorToEpochMs('1714564800000', 'epochMilliseconds')).toBe(1_714_564_800_000);
    expect(cursorToEpochMs(1_714_564_800, 'epochSeconds')).toBe(1_714_564_800_000);
  });

  it('rejects unparsable values', () => {
    expect(cursorToEpochMs('soon', 'iso8601')).toBeUndefined();
    expect(cursorToEpochMs('12abc', 'epochMilliseconds')).toBeUndefined();
    expect(cursorToEpochMs(12, 'iso8601')).toBeUndefined();
  });
});

describe('compareTieBreakers', () => {
  it('orders integer ids numerically', () => {
    expect(compareTieBreakers('9', '10')).toBeLessThan(0);
    expect(compareTieBreakers('123456789012345678901', '123456789012345678900')).toBeGreaterThan(0);
  });

  it('orders text by code units', () => {
    expect(compareTieBreakers('abc', 'abd')).toBeLessThan(0);
    expect(compareTieBreakers('b', 'B')).toBeGreaterThan(0);
  });

  it('puts null first', () => {
    expect(compareTieBreakers(null, '0')).toBeLessThan(0);
    expect(compareTieBreakers(null, null)).toBe(0);
  });
});

describe('compareCursorPoints', () => {
  it('compares time before tie-breaker', () => {
    const early = { cursor: '2024-05-01T12:00:00Z', tieBreaker: '99' };
    const late = { cursor: '2024-05-01T12:00:01Z', tieBreaker: '1' };
    expect(compareCursorPoints(early, late, 'iso8601')).toBeLessThan(0);
    expect(compareCursorPoints({ ...early, tieBreaker: '100' }, early, 'iso8601')).toBeGreaterThan(0);
  });

  it('treats equal instants as ties', () => {
    expect(compareCursorPoints({ cursor: '2024-05-01T12:00:00Z', tieBreaker: '5' }, { cursor: '2024-05-01T09:00:00-03:00', tieBreaker: '5' }, 'iso8601')).toBe(0);
  });
});

describe('formatSince', () => {
  const incremental: IncrementalSync = { operation: 'search', cursorField: 'updatedAt', cursorFormat: 'iso8601' };

  it('keeps the raw value without lookback', () => {
    expect(formatSince('2024-05-01T12:00:00.123456Z', incremental, 0)).toBe('2024-05-01T12:00:00.123456Z');
  });

  it('subtracts lookback', () => {
    expect(formatSince('2024-05-01T12:00:00Z', incremental, 90)).toBe('2024-05-01T11:58:30.000Z');
  });

  it('converts to sendAs', () => {
    expect(formatSince('2024-05-01T12:00:00Z', { ...incremental, sendAs: 'epochMilliseconds' }, 0)).toBe(Date.UTC(2024, 4, 1, 12));
    expect(formatSince('2024-05-01T12:00:00.900Z', { ...incremental, sendAs: 'epochSeconds' }, 1)).toBe(Date.UTC(2024, 4, 1, 12) / 1000 - 1);
    expect(formatSince(1_714_564_800, { ...incremental, cursorFormat: 'epochSeconds', sendAs: 'iso8601' }, 0)).toBe('2024-05-01T12:00:00.000Z');
  });
});

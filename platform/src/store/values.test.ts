import { describe, expect, it } from 'vitest';
import { readRequiredTimestamp, readTimestamp } from './values.js';

describe('readTimestamp', () => {
  it('keeps toISOString text', () => {
    const stored = new Date(Date.UTC(2026, 11, 5, 2, 30, 19, 7)).toISOString();

    expect(readTimestamp(stored)).toBe('2026-12-05T02:30:19.007Z');
  });

  it('keeps toISOString-shaped text unparsed', () => {
    // A round trip would turn this into 2024-03-01; the fast path returns text of this form as stored.
    expect(readTimestamp('2024-02-30T00:00:00.000Z')).toBe('2024-02-30T00:00:00.000Z');
  });

  it.each([
    ['2026-12-05T02:30:19Z', '2026-12-05T02:30:19.000Z'],
    ['2026-12-05T04:30:19.500+02:00', '2026-12-05T02:30:19.500Z'],
    ['2026-12-05 02:30:19.5Z', '2026-12-05T02:30:19.500Z'],
  ])('normalises %s', (stored, expected) => {
    expect(readTimestamp(stored)).toBe(expected);
  });

  it('formats a Date', () => {
    expect(readTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)))).toBe('2026-01-02T03:04:05.006Z');
  });

  it('returns null for null', () => {
    expect(readTimestamp(null)).toBeNull();
    expect(readTimestamp(undefined)).toBeNull();
  });

  it('rejects an unreadable value', () => {
    expect(() => readTimestamp('yesterday')).toThrow(RangeError);
  });
});

describe('readRequiredTimestamp', () => {
  it('rejects null', () => {
    expect(() => readRequiredTimestamp(null)).toThrow(/required timestamp column is null/);
  });
});

import { describe, expect, it } from 'vitest';

import { parseOccurredAt } from './extract-events.js';

describe('parseOccurredAt', () => {
  it('reads epoch milliseconds', () => {
    expect(parseOccurredAt('1733338800123')).toBe(1_733_338_800_123);
  });

  it('reads epoch seconds as seconds', () => {
    expect(parseOccurredAt('1733338800')).toBe(1_733_338_800_000);
  });

  it('reads ISO 8601 times', () => {
    expect(parseOccurredAt('2026-12-04T10:00:00.500Z')).toBe(Date.UTC(2026, 11, 4, 10, 0, 0, 500));
  });

  it('treats anything else as absent', () => {
    expect(parseOccurredAt(undefined)).toBeNull();
    expect(parseOccurredAt('')).toBeNull();
    expect(parseOccurredAt('yesterday')).toBeNull();
    expect(parseOccurredAt('-5')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { parseHttpDate } from './http-date.js';

const EXPECTED = Date.UTC(1994, 10, 6, 8, 49, 37);
const NOW_2026 = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('parseHttpDate', () => {
  it('parses the IMF-fixdate format', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(EXPECTED);
  });

  it('parses the RFC 850 format', () => {
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW_2026)).toBe(EXPECTED);
  });

  it('places two-digit years near now', () => {
    expect(parseHttpDate('Thursday, 15-Jan-26 12:00:05 GMT', NOW_2026)).toBe(NOW_2026 + 5000);
    expect(parseHttpDate('Wednesday, 01-Jan-70 00:00:00 GMT', NOW_2026)).toBe(Date.UTC(2070, 0, 1));
    expect(parseHttpDate('Friday, 01-Jan-99 00:00:00 GMT', NOW_2026)).toBe(Date.UTC(1999, 0, 1));
  });

  it('parses the asctime format', () => {
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(EXPECTED);
    expect(parseHttpDate('Sun Nov 16 08:49:37 1994')).toBe(Date.UTC(1994, 10, 16, 8, 49, 37));
  });

  it('rejects invalid dates', () => {
    for (const text of [
      '',
      '120',
      'soon',
      '2026-01-15T12:00:00Z',
      'Sun, 06 Nov 1994 08:49:37 PST',
      'Sun, 31 Feb 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 24:00:00 GMT',
      'Sun, 6 Nov 1994 08:49:37 GMT',
    ]) {
      expect(parseHttpDate(text), text).toBeUndefined();
    }
  });
});

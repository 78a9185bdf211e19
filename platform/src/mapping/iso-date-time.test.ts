import { describe, expect, it } from 'vitest';
import { scanIsoDateTime } from './iso-date-time.js';

describe('scanIsoDateTime', () => {
  it('reads a plain date', () => {
    expect(scanIsoDateTime('2024-03-10')).toEqual({
      year: 2024, month: 3, day: 10, hour: 0, minute: 0, second: 0, millisecond: 0, offsetMs: undefined,
    });
  });

  it('reads fractions and offsets', () => {
    expect(scanIsoDateTime('2024-03-10T09:30:15.5-03:00')).toMatchObject({ second: 15, millisecond: 500, offsetMs: -10_800_000 });
    expect(scanIsoDateTime('2024-03-10T09:30:15.123456789Z')).toMatchObject({ millisecond: 123, offsetMs: 0 });
    expect(scanIsoDateTime('2024-03-10 09:30+0530')).toMatchObject({ hour: 9, minute: 30, offsetMs: 19_800_000 });
    expect(scanIsoDateTime('2024-03-10T09:30:00,25+02')).toMatchObject({ millisecond: 250, offsetMs: 7_200_000 });
  });

  it('agrees with Date.parse on valid input', () => {
    for (const text of ['2024-02-29T23:59:59.999Z', '1999-12-31T21:00:00-03:00', '2030-06-01T00:00:00+14:00']) {
      const fields = scanIsoDateTime(text);
      const local = Date.UTC(
        fields?.year ?? 0, (fields?.month ?? 1) - 1, fields?.day, fields?.hour, fields?.minute, fields?.second, fields?.millisecond,
      );
      expect(local - (fields?.offsetMs ?? 0)).toBe(Date.parse(text));
    }
  });

  it('rejects malformed text', () => {
    for (const text of ['2024-3-10', '2024-03-10T9:30', '2024-03-10T09:30:00.Z', '2024-03-10T09:30:00.1234567890Z',
      '2024-03-10T09:30Z1', '2024-03-10T09:30+2', '2024-03-10X09:30', '10/03/2024', '2024-03-10T09:30:00+24:00', '']) {
      expect(scanIsoDateTime(text)).toBeUndefined();
    }
  });
});

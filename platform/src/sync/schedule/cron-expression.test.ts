import { describe, expect, it } from 'vitest';

import { parseCronExpression } from './cron-expression.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('parseCronExpression', () => {
  it.each([
    // expression, after, expected next
    ['*/15 * * * *', '2025-03-10T10:07:30Z', '2025-03-10T10:15:00.000Z'],
    ['*/15 * * * *', '2025-03-10T10:15:00Z', '2025-03-10T10:30:00.000Z'],
    ['0 3 * * *', '2025-03-10T03:00:00Z', '2025-03-11T03:00:00.000Z'],
    ['30 9 * * 1-5', '2025-03-07T10:00:00Z', '2025-03-10T09:30:00.000Z'],
    ['0 0 1 * *', '2025-12-15T00:00:00Z', '2026-01-01T00:00:00.000Z'],
    ['0 12 * JAN,jul *', '2025-02-01T00:00:00Z', '2025-07-01T12:00:00.000Z'],
    ['0 0 * * SUN', '2025-03-10T00:00:00Z', '2025-03-16T00:00:00.000Z'],
    ['0 0 * * 7', '2025-03-10T00:00:00Z', '2025-03-16T00:00:00.000Z'],
    ['0 0 29 2 *', '2025-01-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['5/20 * * * *', '2025-03-10T10:46:00Z', '2025-03-10T11:05:00.000Z'],
    ['0-10/5 8 * * *', '2025-03-10T08:06:00Z', '2025-03-10T08:10:00.000Z'],
    ['@hourly', '2025-03-10T10:59:59Z', '2025-03-10T11:00:00.000Z'],
    ['@daily', '2025-03-10T10:00:00Z', '2025-03-11T00:00:00.000Z'],
  ])('%s after %s is %s', (expression, after, expected) => {
    expect(iso(parseCronExpression(expression).next(at(after)))).toBe(expected);
  });

  it.each([
    ['*/15 * * * *', '2025-03-10T10:07:30Z', '2025-03-10T10:00:00.000Z'],
    ['*/15 * * * *', '2025-03-10T10:15:00Z', '2025-03-10T10:15:00.000Z'],
    ['0 3 * * *', '2025-03-10T02:59:00Z', '2025-03-09T03:00:00.000Z'],
    ['30 9 * * 1-5', '2025-03-10T09:00:00Z', '2025-03-07T09:30:00.000Z'],
    ['0 0 29 2 *', '2025-01-01T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['59 23 31 12 *', '2025-06-01T00:00:00Z', '2024-12-31T23:59:00.000Z'],
  ])('%s at or before %s is %s', (expression, atTime, expected) => {
    expect(iso(parseCronExpression(expression).previous(at(atTime)))).toBe(expected);
  });

  it('matches either day field when both are restricted', () => {
    // The 13th of the month, or any Friday, as Vixie cron reads it.
    const cron = parseCronExpression('0 0 13 * 5');
    const matches: string[] = [];
    let time = at('2025-06-01T00:00:00Z');
    for (let index = 0; index < 5; index += 1) {
      time = cron.next(time) as number;
      matches.push(new Date(time).toISOString().slice(0, 10));
    }

    expect(matches).toEqual(['2025-06-06', '2025-06-13', '2025-06-20', '2025-06-27', '2025-07-04']);
  });

  it('matches both day fields when one starts with a star', () => {
    // Every second day of the month that is also a Monday.
    const next = parseCronExpression('0 0 */2 * 1').next(at('2025-03-01T00:00:00Z'));

    expect(iso(next)).toBe('2025-03-03T00:00:00.000Z');
  });

  it('keeps the expression text', () => {
    expect(parseCronExpression('  0 3 * * *  ').source).toBe('0 3 * * *');
  });

  it.each([
    ['0 3 * *', /4 fields, not 5/],
    ['0 0 3 * * *', /6 fields, not 5/],
    ['60 * * * *', /60 is outside 0-59 in the minute field/],
    ['* 24 * * *', /outside 0-23 in the hour field/],
    ['* * 0 * *', /outside 1-31 in the day of month field/],
    ['* * * 13 *', /outside 1-12 in the month field/],
    ['* * * * 8', /outside 0-7 in the day of week field/],
    ['*/0 * * * *', /step "0"/],
    ['10-5 * * * *', /runs backwards/],
    ['a * * * *', /"a" is not a number or name in the minute field/],
    ['1,,2 * * * *', /is not a value, range or step/],
    ['1/2/3 * * * *', /is not a value, range or step/],
    ['0 0 30 2 *', /no date ever matches it/],
    ['0 0 31 4,6,9,11 *', /no date ever matches it/],
    ['@every 5m', /fields, not 5/],
  ])('rejects %s', (expression, message) => {
    expect(() => parseCronExpression(expression)).toThrow(message);
  });

  it('raises SCHEDULE_INVALID with the cron field', () => {
    let caught: unknown;
    try {
      parseCronExpression('61 * * * *');
    } catch (error) {
      caught = error;
    }

    expect(caught).toMatchObject({ code: 'SCHEDULE_INVALID', status: 400, fault: 'caller', details: { field: 'cron' } });
  });

  it('agrees with a minute-by-minute scan', () => {
    // An independent check: walk every minute of two weeks and test each field by hand.
    const cron = parseCronExpression('*/7 1-3,22 * * MON-WED');
    const matchesByHand = (time: number) => {
      const date = new Date(time);
      const hour = date.getUTCHours();
      return date.getUTCMinutes() % 7 === 0 && ((hour >= 1 && hour <= 3) || hour === 22) && [1, 2, 3].includes(date.getUTCDay());
    };

    const start = at('2025-03-01T00:00:00Z');
    const expected: number[] = [];
    for (let time = start + 60_000; time < start + 14 * 86_400_000; time += 60_000) {
      if (matchesByHand(time)) expected.push(time);
    }
    const found: number[] = [];
    for (let time = cron.next(start); time !== null && time < start + 14 * 86_400_000; time = cron.next(time)) found.push(time);

    expect(found.length).toBeGreaterThan(100);
    expect(found).toEqual(expected);
    expect(cron.previous(expected.at(-1)! + 59_000)).toBe(expected.at(-1));
  });
});

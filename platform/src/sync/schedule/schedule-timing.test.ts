import { describe, expect, it } from 'vitest';

import { dueSlot, parseInterval, scheduleTiming } from './schedule-timing.js';

const at = (iso: string) => Date.parse(iso);

describe('parseInterval', () => {
  it.each([
    ['1m', 60_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['31d', 31 * 86_400_000],
    [' 30m ', 1_800_000],
  ])('reads %s', (text, ms) => {
    expect(parseInterval(text)).toBe(ms);
  });

  it.each(['0m', '30s', '15', 'm', '1.5h', '-5m', '32d', '15 m', '1w', ''])('rejects %j', (text) => {
    expect(() => parseInterval(text)).toThrow(/is invalid; use a whole number of minutes, hours or days from 1m to 31d/);
  });
});

describe('scheduleTiming', () => {
  it('aligns interval slots to the epoch', () => {
    const timing = scheduleTiming({ every: '15m', cron: null });

    expect(timing.latestSlot(at('2025-03-10T10:07:30Z'))).toBe(at('2025-03-10T10:00:00Z'));
    expect(timing.latestSlot(at('2025-03-10T10:15:00Z'))).toBe(at('2025-03-10T10:15:00Z'));
    expect(timing.nextSlot(at('2025-03-10T10:15:00Z'))).toBe(at('2025-03-10T10:30:00Z'));
  });

  it('runs daily intervals at midnight UTC', () => {
    const timing = scheduleTiming({ every: '1d', cron: null });

    expect(timing.nextSlot(at('2025-03-10T10:07:30Z'))).toBe(at('2025-03-11T00:00:00Z'));
  });

  it('uses the cron expression when set', () => {
    const timing = scheduleTiming({ every: null, cron: '0 3 * * *' });

    expect(timing.latestSlot(at('2025-03-10T10:00:00Z'))).toBe(at('2025-03-10T03:00:00Z'));
    expect(timing.nextSlot(at('2025-03-10T10:00:00Z'))).toBe(at('2025-03-11T03:00:00Z'));
  });
});

describe('dueSlot', () => {
  const timing = scheduleTiming({ every: '15m', cron: null });

  it('skips the slot before the schedule was saved', () => {
    expect(dueSlot(timing, { anchorAt: at('2025-03-10T10:07:00Z'), lastSlotAt: null }, at('2025-03-10T10:08:00Z'))).toBeNull();
  });

  it('returns the first slot after the schedule was saved', () => {
    expect(dueSlot(timing, { anchorAt: at('2025-03-10T10:07:00Z'), lastSlotAt: null }, at('2025-03-10T10:15:02Z'))).toBe(at('2025-03-10T10:15:00Z'));
  });

  it('skips a slot already enqueued', () => {
    expect(dueSlot(timing, { anchorAt: 0, lastSlotAt: at('2025-03-10T10:15:00Z') }, at('2025-03-10T10:29:59Z'))).toBeNull();
  });

  it('makes up only the latest missed slot', () => {
    expect(dueSlot(timing, { anchorAt: 0, lastSlotAt: at('2025-03-10T08:00:00Z') }, at('2025-03-10T10:31:00Z'))).toBe(at('2025-03-10T10:30:00Z'));
  });
});

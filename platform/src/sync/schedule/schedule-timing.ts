import { LumioError } from '../../errors/index.js';
import { parseCronExpression } from './cron-expression.js';

/** The instants ("slots") at which a schedule runs, in epoch milliseconds. */
export interface ScheduleTiming {
  /** Returns the latest slot at or before `atMs`, or null when there is none. */
  latestSlot(atMs: number): number | null;
  /** Returns the first slot strictly after `afterMs`, or null when there is none. */
  nextSlot(afterMs: number): number | null;
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MIN_INTERVAL_MS = UNIT_MS.m;
const MAX_INTERVAL_MS = 31 * UNIT_MS.d;
const INTERVAL = /^(\d{1,6})([mhd])$/;

/**
 * Parses an interval such as `15m`, `2h` or `1d`: a whole number of minutes, hours or days,
 * from 1 minute to 31 days. Returns milliseconds. Raises SCHEDULE_INVALID (400) otherwise.
 */
export function parseInterval(text: string): number {
  const match = INTERVAL.exec(text.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : Number.NaN;
  if (!match || ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
    throw new LumioError('SCHEDULE_INVALID', `The interval "${text.slice(0, 100)}" is invalid; use a whole number of minutes, hours or days from 1m to 31d, such as "15m", "6h" or "1d".`, {
      status: 400,
      fault: 'caller',
      details: { field: 'every' },
    });
  }
  return ms;
}

/**
 * Returns the slots of a schedule. An interval's slots are the multiples of the interval
 * counted from 1970-01-01T00:00Z, so every process computes the same ones: `15m` runs at
 * :00, :15, :30 and :45 of each hour and `1d` at midnight UTC. A cron expression's slots
 * are its matching minutes in UTC.
 */
export function scheduleTiming(schedule: { every: string | null; cron: string | null }): ScheduleTiming {
  if (schedule.cron !== null) {
    const cron = parseCronExpression(schedule.cron);
    return { latestSlot: (atMs) => cron.previous(atMs), nextSlot: (afterMs) => cron.next(afterMs) };
  }

  const intervalMs = parseInterval(schedule.every ?? '');
  return {
    latestSlot: (atMs) => Math.floor(atMs / intervalMs) * intervalMs,
    nextSlot: (afterMs) => (Math.floor(afterMs / intervalMs) + 1) * intervalMs,
  };
}

/**
 * Returns the slot a scheduler should enqueue now, or null: the latest slot at or before
 * `nowMs`, when it is after the schedule was last changed and after the last slot already
 * enqueued. Slots missed while no scheduler ran are not made up, except the latest one.
 */
export function dueSlot(timing: ScheduleTiming, schedule: { anchorAt: number; lastSlotAt: number | null }, nowMs: number): number | null {
  const slot = timing.latestSlot(nowMs);
  if (slot === null || slot <= schedule.anchorAt) return null;
  if (schedule.lastSlotAt !== null && slot <= schedule.lastSlotAt) return null;
  return slot;
}

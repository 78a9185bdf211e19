import { LumioError } from '../errors/index.js';

/**
 * Delays before each attempt of a delivery, in milliseconds: immediately, then 5 seconds,
 * 5 minutes, 30 minutes, 2 hours, 5 hours, 10 hours and 10 hours. Eight attempts over
 * about 27.5 hours, after which the delivery is dead. This is the example schedule of the
 * Standard Webhooks specification (1.0.0) cut after the first 10-hour step.
 */
export const STANDARD_RETRY_SCHEDULE_MS: readonly number[] = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

/** Share of a delay added or removed at random, so many failed deliveries do not retry in step. */
const JITTER_RATIO = 0.1;

/** Raises EVENT_RETRY_SCHEDULE_INVALID unless the schedule is a non-empty list of delays in milliseconds. */
export function checkRetrySchedule(schedule: readonly number[]): void {
  if (!Array.isArray(schedule) || schedule.length === 0 || !schedule.every((delay) => Number.isSafeInteger(delay) && delay >= 0)) {
    throw new LumioError('EVENT_RETRY_SCHEDULE_INVALID', 'The retry schedule must be a non-empty list of delays in whole milliseconds, such as [0, 5000, 300000].', {
      status: 500,
      fault: 'platform',
    });
  }
}

/**
 * Returns when a delivery that failed its `attempts`-th attempt since its last replay is
 * tried again: `now` plus the schedule's next delay, give or take 10 %. Returns null once
 * every delay of the schedule was used, which makes the delivery dead.
 */
export function nextRetryAt(attempts: number, schedule: readonly number[], now: number, random: () => number = Math.random): number | null {
  const delay = schedule[attempts];
  if (delay === undefined) {
    return null;
  }

  const jitter = delay * JITTER_RATIO * (2 * random() - 1);
  return now + Math.round(delay + jitter);
}

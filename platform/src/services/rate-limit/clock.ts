import type { Clock } from './rate-limit-types.js';

/**
 * Clock of the running process. `now` is monotonic (performance.now from the process's
 * time origin) so a wall-clock step cannot reorder the in-process sliding window, and it
 * stays within a few milliseconds of Date.now() unless the wall clock is adjusted.
 */
export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  setTimer: (callback, delayMs) => {
    const timer = setTimeout(callback, delayMs);
    // A limiter waiting for budget must not keep a finished process alive.
    timer.unref();
    return timer;
  },
  clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

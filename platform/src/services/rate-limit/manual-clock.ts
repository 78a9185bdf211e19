import type { Clock } from './rate-limit-types.js';

/** A clock that moves only when a test calls `advance`, firing due timers in time order. */
export interface ManualClock extends Clock {
  /** Moves time forward and runs each timer that falls due, letting promises settle after each. */
  advance(ms: number): Promise<void>;
  /** Number of timers not yet fired or cleared. */
  pendingTimers(): number;
}

interface ManualTimer {
  id: number;
  dueAt: number;
  callback: () => void;
}

/** Creates a manual clock starting at `startMs` epoch milliseconds. */
export function createManualClock(startMs = 1_700_000_000_000): ManualClock {
  let current = startMs;
  let nextId = 1;
  const timers = new Map<number, ManualTimer>();

  async function settle(): Promise<void> {
    // Several macrotask turns, so promise chains that start other awaits finish too.
    for (let turn = 0; turn < 5; turn += 1) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  function nextDue(until: number): ManualTimer | undefined {
    let earliest: ManualTimer | undefined;
    for (const timer of timers.values()) {
      if (timer.dueAt > until) continue;
      if (!earliest || timer.dueAt < earliest.dueAt || (timer.dueAt === earliest.dueAt && timer.id < earliest.id)) earliest = timer;
    }
    return earliest;
  }

  return {
    now: () => current,
    setTimer(callback, delayMs) {
      const timer = { id: nextId, dueAt: current + Math.max(0, delayMs), callback };
      nextId += 1;
      timers.set(timer.id, timer);
      return timer.id;
    },
    clearTimer(timer) {
      timers.delete(timer as number);
    },
    async advance(ms) {
      const target = current + ms;
      await settle();
      for (let timer = nextDue(target); timer; timer = nextDue(target)) {
        timers.delete(timer.id);
        current = Math.max(current, timer.dueAt);
        timer.callback();
        await settle();
      }
      current = target;
      await settle();
    },
    pendingTimers: () => timers.size,
  };
}

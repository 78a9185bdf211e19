import { LumioError } from '../../errors/index.js';

/**
 * A number of retries shared by every request of one job or sync run, so a run against
 * a failing provider stops retrying instead of retrying each request to its maximum.
 */
export interface RetryBudget {
  readonly max: number;
  readonly used: number;
  readonly remaining: number;
  /** Takes one retry from the budget. Returns false, and takes nothing, when it is spent. */
  tryTake(): boolean;
}

/** Creates a retry budget of `max` retries (a non-negative integer). */
export function createRetryBudget(max: number): RetryBudget {
  if (!Number.isInteger(max) || max < 0) {
    throw new LumioError('RETRY_BUDGET_INVALID', `The retry budget ${max} is not valid; pass a non-negative integer number of retries.`, {
      status: 500,
      fault: 'platform',
      details: { max },
    });
  }

  let used = 0;
  return {
    max,
    get used() {
      return used;
    },
    get remaining() {
      return max - used;
    },
    tryTake() {
      if (used >= max) return false;
      used += 1;
      return true;
    },
  };
}

import type { BackoffOptions } from './job-types.js';

/** Maximum wait before a retry, in milliseconds (7 days), so large attempt counts stay finite. */
export const MAX_BACKOFF_MS = 7 * 86_400_000;

/**
 * Computes the wait before the next attempt after `failedAttempts` failed ones (1 after
 * the first failure), in milliseconds. Both backends use this function, so their retry
 * times match.
 */
export function computeBackoffDelay(backoff: BackoffOptions, failedAttempts: number): number {
  if (backoff.type === 'fixed') {
    return Math.min(backoff.delayMs, MAX_BACKOFF_MS);
  }

  const exponent = Math.max(0, failedAttempts - 1);
  return Math.min(Math.round(backoff.delayMs * 2 ** exponent), MAX_BACKOFF_MS);
}

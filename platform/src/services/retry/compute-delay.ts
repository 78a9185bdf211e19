import type { RetryPolicy } from '@lumio/plugin-sdk';
import type { HttpResponse } from '../../http/index.js';
import { resolveRetryPolicy, type ResolvedRetryPolicy } from './retry-policy.js';
import { parseWaitHeader } from './wait-header.js';

/** Default maximum wait taken from a provider's wait header: 5 minutes, in milliseconds. */
export const DEFAULT_MAX_HEADER_DELAY_MS = 300_000;

export interface ComputeDelayOptions {
  /**
   * Maximum wait in milliseconds taken from the wait header. A longer wait is cut to
   * this value and the plan reports `capped`. Default 300000 (5 minutes).
   */
  maxHeaderDelayMs?: number;
  /** Current time in epoch milliseconds, for an HTTP-date header. Default `Date.now()`. */
  nowMs?: number;
}

/** How long to wait before a retry, and where the wait came from. */
export interface DelayPlan {
  delayMs: number;
  source: 'header' | 'backoff';
  /** The wait the header asked for, before the cap. Set only when the header was used. */
  requestedDelayMs?: number;
  /** True when the header asked for more than the maximum and the wait was cut. */
  capped: boolean;
}

/**
 * Returns the wait in milliseconds before retry number `attempt` (1 for the first retry).
 * The policy's wait header (default `Retry-After`) takes precedence when the response
 * has a valid one, cut to `maxHeaderDelayMs`. Otherwise the wait is exponential backoff
 * with full jitter: `random() * min(maxDelayMs, baseDelayMs * 2^(attempt - 1))`.
 */
export function computeDelay(
  policy: RetryPolicy | undefined,
  attempt: number,
  response?: HttpResponse,
  random: () => number = Math.random,
  options: ComputeDelayOptions = {},
): number {
  return planDelay(resolveRetryPolicy(policy), attempt, response, random, options).delayMs;
}

/** Plans the wait before retry number `attempt` like `computeDelay`, and reports its source. */
export function planDelay(
  policy: ResolvedRetryPolicy,
  attempt: number,
  response: HttpResponse | undefined,
  random: () => number,
  options: ComputeDelayOptions = {},
): DelayPlan {
  const maxHeaderDelayMs = options.maxHeaderDelayMs ?? DEFAULT_MAX_HEADER_DELAY_MS;
  const headerDelayMs = response ? parseWaitHeader(policy.waitHeader, response.headers, options.nowMs) : undefined;
  if (headerDelayMs !== undefined) {
    const capped = headerDelayMs > maxHeaderDelayMs;
    return { delayMs: capped ? maxHeaderDelayMs : headerDelayMs, source: 'header', requestedDelayMs: headerDelayMs, capped };
  }

  const drawn = random();
  const fraction = Number.isFinite(drawn) ? Math.min(1, Math.max(0, drawn)) : 1;
  return { delayMs: Math.round(fraction * computeBackoffCap(policy, attempt)), source: 'backoff', capped: false };
}

/** Returns the upper bound of the jittered wait before retry number `attempt`, in milliseconds. */
export function computeBackoffCap(policy: Pick<ResolvedRetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, attempt: number): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
}

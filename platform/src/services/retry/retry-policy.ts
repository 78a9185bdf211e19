import type { RetryBodyRule, RetryPolicy } from '@lumio/plugin-sdk';

/** A manifest's retry policy with every default filled in. */
export interface ResolvedRetryPolicy {
  /** Retries after the first attempt. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  retryableStatuses: ReadonlySet<number>;
  rateLimitedStatuses: ReadonlySet<number>;
  authExpiredStatuses: ReadonlySet<number>;
  retryOnNetworkError: boolean;
  waitHeader: string;
  bodyRules: readonly RetryBodyRule[];
}

/** The defaults the connector manifest schema documents for each `retry` field. */
export const DEFAULT_RETRY_POLICY = {
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 16_000,
  retryableStatuses: [429, 502, 503, 504],
  rateLimitedStatuses: [429],
  authExpiredStatuses: [401],
  retryOnNetworkError: true,
  waitHeader: 'Retry-After',
} as const;

/** Fills in the defaults of a manifest's `retry` policy. `undefined` gives all defaults. */
export function resolveRetryPolicy(policy: RetryPolicy | undefined): ResolvedRetryPolicy {
  const source = policy ?? {};
  return {
    maxAttempts: toNonNegativeInteger(source.maxAttempts, DEFAULT_RETRY_POLICY.maxAttempts),
    baseDelayMs: toNonNegativeInteger(source.baseDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs),
    maxDelayMs: toNonNegativeInteger(source.maxDelayMs, DEFAULT_RETRY_POLICY.maxDelayMs),
    retryableStatuses: new Set(source.retryableStatuses ?? DEFAULT_RETRY_POLICY.retryableStatuses),
    rateLimitedStatuses: new Set(source.rateLimitedStatuses ?? DEFAULT_RETRY_POLICY.rateLimitedStatuses),
    authExpiredStatuses: new Set(source.authExpiredStatuses ?? DEFAULT_RETRY_POLICY.authExpiredStatuses),
    retryOnNetworkError: source.retryOnNetworkError ?? DEFAULT_RETRY_POLICY.retryOnNetworkError,
    waitHeader: source.waitHeader ?? DEFAULT_RETRY_POLICY.waitHeader,
    bodyRules: source.bodyRules ?? [],
  };
}

// The schema already rejects negative and fractional values. This keeps a policy built
// in code from producing a negative delay or a fractional attempt count.
function toNonNegativeInteger(value: number | undefined, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.max(0, Math.floor(value));
}

// Retries with exponential backoff and full jitter for provider requests, driven by a
// connector manifest's `retry` policy.
export { withRetry } from './with-retry.js';
export type { RetryOptions, RetryAttemptEvent } from './with-retry.js';
export { classifyAttempt, classifyOutcome, readErrorResponse } from './classify-outcome.js';
export type { RetryOutcome, AttemptResult, AttemptClassification, ClassifyOutcomeOptions } from './classify-outcome.js';
export { computeDelay, computeBackoffCap, DEFAULT_MAX_HEADER_DELAY_MS } from './compute-delay.js';
export type { ComputeDelayOptions } from './compute-delay.js';
export { parseWaitHeader } from './wait-header.js';
export { parseHttpDate } from './http-date.js';
export { isNetworkError } from './network-error.js';
export { matchesCondition } from './response-condition.js';
export { createRetryBudget } from './retry-budget.js';
export type { RetryBudget } from './retry-budget.js';
export { createInMemoryRetryMetrics, noopRetryMetrics } from './retry-metrics.js';
export type { RetryMetrics, RetryMetricLabels, RetryMetricName, InMemoryRetryMetrics } from './retry-metrics.js';
export { resolveRetryPolicy, DEFAULT_RETRY_POLICY } from './retry-policy.js';
export type { ResolvedRetryPolicy } from './retry-policy.js';
export type { RetryContext, RetryAttemptRecord, GiveUpReason } from './retry-errors.js';
export { sleep } from './sleep.js';

// Request budgets from connector manifests (`rateLimits`), kept in process or shared
// through Redis, with interactive requests ahead of bulk ones and adaptation to the
// provider's quota headers and 429 responses.
export { createRateLimiter } from './create-rate-limiter.js';
export type { CreateRateLimiterOptions } from './create-rate-limiter.js';
export type {
  AcquireOptions,
  AcquireResult,
  BudgetKeySnapshot,
  Clock,
  ObservedResponse,
  ObserveOptions,
  ObserveResult,
  QuotaReading,
  RateLimiter,
  RequestPriority,
  SnapshotOptions,
  StoredOrGrant,
} from './rate-limit-types.js';
export { createInMemoryRateLimitMetrics, noopRateLimitMetrics } from './rate-limit-metrics.js';
export type { InMemoryRateLimitMetrics, RateLimitMetricLabels, RateLimitMetrics, RecordedWait } from './rate-limit-metrics.js';
export { resolveBudgets } from './budget-keys.js';
export type { ResolvedBudget, ResolveBudgetsOptions } from './budget-keys.js';
export { parseQuotaHeaders } from './quota-headers.js';
export { systemClock } from './clock.js';

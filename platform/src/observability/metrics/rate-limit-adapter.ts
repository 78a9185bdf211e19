import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

import type { RateLimitMetrics } from '../../services/rate-limit/index.js';

/** Upper bounds of the wait buckets in seconds, up to the limiter's default maximum pause of 15 minutes. */
const WAIT_BUCKETS = [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900];

/**
 * Creates the rate limiter metrics on `registry`. Connection ids are dropped to keep the
 * series count bounded, so the remaining gauge is the value last reported by any
 * connection of the provider for that budget.
 */
export function createPrometheusRateLimitMetrics(registry: Registry): RateLimitMetrics {
  const waits = new Histogram({
    name: 'integration_rate_limit_wait_seconds',
    help: 'Time a provider request waited for a rate limit budget before it was sent, in seconds, per budget it needed.',
    labelNames: ['provider', 'budget', 'priority'] as const,
    buckets: WAIT_BUCKETS,
    registers: [registry],
  });
  const remaining = new Gauge({
    name: 'integration_rate_limit_remaining',
    help: "Requests a budget allows right now, as last reported for any of the provider's connections, after a grant or the provider's quota headers.",
    labelNames: ['provider', 'budget'] as const,
    registers: [registry],
  });
  const pauses = new Counter({
    name: 'integration_rate_limit_pauses_total',
    help: 'Budgets paused because the provider rejected a request for its rate limit. One rejection pauses every budget the request used.',
    labelNames: ['provider', 'budget'] as const,
    registers: [registry],
  });

  return {
    waited: (labels, ms) => waits.observe({ provider: labels.connector, budget: labels.budget, priority: labels.priority ?? 'unknown' }, ms / 1000),
    remaining: (labels, value) => remaining.set({ provider: labels.connector, budget: labels.budget }, value),
    hit: (labels) => pauses.inc({ provider: labels.connector, budget: labels.budget }),
  };
}

import { Counter, type Registry } from 'prom-client';

import type { RetryMetrics } from '../../services/retry/index.js';

/**
 * Creates the retry metrics on `registry`. The `connector` label arrives as the connector
 * id (the request pipeline relabels it) and is exported as `provider`.
 */
export function createPrometheusRetryMetrics(registry: Registry): RetryMetrics {
  const successes = new Counter({
    name: 'integration_retry_successes_total',
    help: 'Provider requests that succeeded after at least one retry.',
    labelNames: ['provider'] as const,
    registers: [registry],
  });
  const giveUps = new Counter({
    name: 'integration_retry_give_ups_total',
    help: "Provider requests given up because the policy's maxAttempts or the run's retry budget ran out, by the outcome of the last attempt.",
    labelNames: ['provider', 'outcome'] as const,
    registers: [registry],
  });

  return {
    // Each attempt is already counted once per HTTP send, with its status, by the request
    // metrics (integration_requests_total and integration_retries_total).
    attempt: () => undefined,
    successAfterRetry: (labels) => successes.inc({ provider: labels.connector }),
    giveUp: (labels) => giveUps.inc({ provider: labels.connector, outcome: labels.outcome }),
  };
}

import { Counter, Histogram, type Registry } from 'prom-client';

import type { RequestMetrics } from '../../services/pipeline/index.js';

/** Upper bounds of the request duration buckets in seconds; the http client times out at 30 s by default. */
const REQUEST_DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Creates the provider request metrics on `registry`. Every HTTP send counts, retries
 * included, so one request retried twice adds three to `integration_requests_total`.
 */
export function createPrometheusRequestMetrics(registry: Registry): RequestMetrics {
  const requests = new Counter({
    name: 'integration_requests_total',
    help: 'HTTP requests sent to providers, retries included, by HTTP status, or network_error, timeout or aborted when no response arrived.',
    labelNames: ['provider', 'method', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'integration_request_duration_seconds',
    help: 'Time from sending a provider request to the end of its response body or its error, in seconds.',
    labelNames: ['provider', 'method'] as const,
    buckets: REQUEST_DURATION_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'integration_errors_total',
    help: 'Provider requests that failed, by kind: timeout, network_error, rate_limited, auth, client_error, server_error or provider_error.',
    labelNames: ['provider', 'error_type'] as const,
    registers: [registry],
  });
  const rateLimitHits = new Counter({
    name: 'integration_rate_limit_hits_total',
    help: 'Provider responses that rejected a request for its rate limit: a 429, or a throttle error a manifest body rule finds.',
    labelNames: ['provider'] as const,
    registers: [registry],
  });
  const retries = new Counter({
    name: 'integration_retries_total',
    help: 'Provider requests sent again after a failed attempt, by attempt number (2 is the first retry).',
    labelNames: ['provider', 'attempt'] as const,
    registers: [registry],
  });

  return {
    sent(send) {
      const { provider, method } = send;
      requests.inc({ provider, method, status: send.status });
      duration.observe({ provider, method }, send.durationSeconds);
      if (send.errorType !== undefined) errors.inc({ provider, error_type: send.errorType });
      if (send.errorType === 'rate_limited') rateLimitHits.inc({ provider });
      if (send.attempt > 1) retries.inc({ provider, attempt: String(send.attempt) });
    },
  };
}

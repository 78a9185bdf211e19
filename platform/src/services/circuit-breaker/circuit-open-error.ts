import { LumioError } from '../../errors/index.js';
import type { BreakerState } from './breaker-metrics.js';

/** State of an open or half-open breaker at the time it rejects a request. */
export interface CircuitOpenFacts {
  connector: string;
  connectionId: string;
  group: string;
  state: Exclude<BreakerState, 'closed'>;
  /** `threshold` when the failure rate opened it, `probeFailed` when a half-open probe failed. */
  openReason: 'threshold' | 'probeFailed';
  /** Failed and total requests in the rolling window when the breaker opened. */
  failures: number;
  requests: number;
  openedAt: Date;
  nextProbeAt: Date;
}

/**
 * Builds `PROVIDER_CIRCUIT_OPEN` for a request rejected without being sent. The message
 * names the provider and when the next probe request is due (ISO 8601, UTC).
 */
export function buildCircuitOpenError(facts: CircuitOpenFacts): LumioError {
  const failureSummary = facts.openReason === 'probeFailed' ? 'the last probe request failed' : `${facts.failures} of ${facts.requests} recent requests`;
  const nextProbeAt = facts.nextProbeAt.toISOString();
  const message =
    facts.state === 'halfOpen'
      ? `${facts.connector} is failing (${failureSummary}); one probe request is in flight, and other requests are paused until it succeeds.`
      : `${facts.connector} is failing (${failureSummary}); requests to it are paused until ${nextProbeAt}, when one probe request will be let through.`;

  return new LumioError('PROVIDER_CIRCUIT_OPEN', message, {
    status: 503,
    fault: 'provider',
    details: {
      connector: facts.connector,
      connectionId: facts.connectionId,
      group: facts.group,
      state: facts.state,
      failures: facts.failures,
      requests: facts.requests,
      openedAt: facts.openedAt.toISOString(),
      nextProbeAt,
    },
  });
}

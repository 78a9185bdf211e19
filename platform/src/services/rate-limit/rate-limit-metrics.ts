import type { RequestPriority } from './rate-limit-types.js';

export interface RateLimitMetricLabels {
  /** Connector id, e.g. "hubspot". */
  connector: string;
  /** Budget name from the manifest, e.g. "burst". */
  budget: string;
  /**
   * Connection whose request it was. A Prometheus exporter may drop this label to keep
   * the series count bounded; for an account budget the value is shared by its connections.
   */
  connectionId: string;
  /** Set on `waited`; absent on `remaining` and `hit`. */
  priority?: RequestPriority;
}

/**
 * Receives the limiter's measurements. A Prometheus adapter is meant to map them onto
 * a wait-time histogram, the gauge `integration_rate_limit_remaining` and the counter
 * `integration_rate_limit_hits_total`.
 */
export interface RateLimitMetrics {
  /** Time one request waited for this budget before its grant, in milliseconds (0 when it did not wait). */
  waited(labels: RateLimitMetricLabels, ms: number): void;
  /** Requests the budget allows right now, after a grant or after reading the provider's quota headers. */
  remaining(labels: RateLimitMetricLabels, value: number): void;
  /** A response the provider refused for its rate limit (429 or a `rateLimited` outcome). */
  hit(labels: RateLimitMetricLabels): void;
}

export interface RecordedWait {
  labels: RateLimitMetricLabels;
  ms: number;
}

/** Metrics kept in memory, which tests and a debug endpoint can read. */
export interface InMemoryRateLimitMetrics extends RateLimitMetrics {
  /** Every wait, in the order recorded. */
  readonly waits: readonly RecordedWait[];
  /** Returns the last remaining value for a connector, budget and connection, or undefined. */
  lastRemaining(connector: string, budget: string, connectionId: string): number | undefined;
  /** Returns the hits counted for a connector, optionally for one budget. */
  hitCount(connector: string, budget?: string): number;
}

// NOTE: `waits` grows with every request, so this implementation suits tests and short
// runs; a long-running service should pass a Prometheus-backed implementation.
/** Creates metrics that record in memory. */
export function createInMemoryRateLimitMetrics(): InMemoryRateLimitMetrics {
  const waits: RecordedWait[] = [];
  const remainingValues = new Map<string, number>();
  const hits = new Map<string, number>();

  return {
    waits,
    waited(labels, ms) {
      waits.push({ labels: { ...labels }, ms });
    },
    remaining(labels, value) {
      remainingValues.set(JSON.stringify([labels.connector, labels.budget, labels.connectionId]), value);
    },
    hit(labels) {
      const key = JSON.stringify([labels.connector, labels.budget]);
      hits.set(key, (hits.get(key) ?? 0) + 1);
    },
    lastRemaining(connector, budget, connectionId) {
      return remainingValues.get(JSON.stringify([connector, budget, connectionId]));
    },
    hitCount(connector, budget) {
      if (budget !== undefined) return hits.get(JSON.stringify([connector, budget])) ?? 0;

      let total = 0;
      for (const [key, value] of hits) {
        if ((JSON.parse(key) as string[])[0] === connector) total += value;
      }
      return total;
    },
  };
}

/** Metrics that record nothing, used when the caller passes none. */
export const noopRateLimitMetrics: RateLimitMetrics = {
  waited: () => undefined,
  remaining: () => undefined,
  hit: () => undefined,
};

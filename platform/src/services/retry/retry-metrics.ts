import type { RetryOutcome } from './classify-outcome.js';

export interface RetryMetricLabels {
  /** Connector display name or id, as the caller passes it in the retry context. */
  connector: string;
  outcome: RetryOutcome;
}

/**
 * Retry counters. The interface stays this small so that a Prometheus registry
 * (prom-client counters with the labels `connector` and `outcome`) can back it.
 */
export interface RetryMetrics {
  /** Counts every attempt, labelled with the outcome it was classified as. */
  attempt(labels: RetryMetricLabels): void;
  /** Counts a request that succeeded after at least one retry (outcome `success`). */
  successAfterRetry(labels: RetryMetricLabels): void;
  /** Counts a request given up because its retries or the run's budget ran out, labelled with the last outcome. */
  giveUp(labels: RetryMetricLabels): void;
}

export type RetryMetricName = keyof RetryMetrics;

/** Retry counters kept in memory, which tests and a debug endpoint can read. */
export interface InMemoryRetryMetrics extends RetryMetrics {
  /** Returns the sum of one counter over every label set that matches `labels`. */
  count(name: RetryMetricName, labels?: Partial<RetryMetricLabels>): number;
}

export function createInMemoryRetryMetrics(): InMemoryRetryMetrics {
  // One counter per metric and label set, so memory grows with connectors, not with requests.
  const counters = new Map<string, { name: RetryMetricName; labels: RetryMetricLabels; value: number }>();
  const increment = (name: RetryMetricName) => (labels: RetryMetricLabels) => {
    const key = JSON.stringify([name, labels.connector, labels.outcome]);
    const counter = counters.get(key);
    if (counter) counter.value += 1;
    else counters.set(key, { name, labels: { connector: labels.connector, outcome: labels.outcome }, value: 1 });
  };

  return {
    attempt: increment('attempt'),
    successAfterRetry: increment('successAfterRetry'),
    giveUp: increment('giveUp'),
    count(name, labels = {}) {
      let total = 0;
      for (const counter of counters.values()) {
        if (counter.name !== name) continue;
        if (labels.connector !== undefined && counter.labels.connector !== labels.connector) continue;
        if (labels.outcome !== undefined && counter.labels.outcome !== labels.outcome) continue;
        total += counter.value;
      }
      return total;
    },
  };
}

/** Metrics that record nothing, used when the caller passes none. */
export const noopRetryMetrics: RetryMetrics = {
  attempt: () => undefined,
  successAfterRetry: () => undefined,
  giveUp: () => undefined,
};

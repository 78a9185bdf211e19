/** State of one circuit breaker: `closed` sends, `open` fails fast, `halfOpen` lets one probe through. */
export type BreakerState = 'closed' | 'open' | 'halfOpen';

export interface BreakerMetricLabels {
  connector: string;
  /** Connector id, the `provider` label of exported metrics. Default: `connector`. */
  provider?: string;
  connectionId: string;
  group: string;
}

/**
 * Circuit breaker metrics: a state gauge per breaker and a transition counter. Small
 * enough to back with prom-client, where the gauge would map closed, halfOpen and open
 * to 0, 1 and 2.
 */
export interface BreakerMetrics {
  /** Sets the state gauge of one breaker. */
  state(labels: BreakerMetricLabels, state: BreakerState): void;
  /** Counts one state change of one breaker. */
  transition(labels: BreakerMetricLabels, from: BreakerState, to: BreakerState): void;
}

export interface BreakerTransition {
  labels: BreakerMetricLabels;
  from: BreakerState;
  to: BreakerState;
}

/** Circuit breaker metrics kept in memory, which tests and a debug endpoint can read. */
export interface InMemoryBreakerMetrics extends BreakerMetrics {
  /** Returns the last state set for a breaker, or `undefined` when none was set. */
  stateOf(labels: Pick<BreakerMetricLabels, 'connectionId' | 'group'>): BreakerState | undefined;
  /** Returns every recorded transition, oldest first. */
  transitions(): BreakerTransition[];
}

/** Maximum transitions the in-memory metrics keep. Older ones are dropped. */
const MAX_TRANSITIONS = 1000;

export function createInMemoryBreakerMetrics(): InMemoryBreakerMetrics {
  const states = new Map<string, BreakerState>();
  const history: BreakerTransition[] = [];
  const keyOf = (labels: Pick<BreakerMetricLabels, 'connectionId' | 'group'>) => JSON.stringify([labels.connectionId, labels.group]);

  return {
    state(labels, state) {
      states.set(keyOf(labels), state);
    },
    transition(labels, from, to) {
      history.push({ labels: { ...labels }, from, to });
      if (history.length > MAX_TRANSITIONS) history.shift();
    },
    stateOf(labels) {
      return states.get(keyOf(labels));
    },
    transitions() {
      return history.map((entry) => ({ ...entry, labels: { ...entry.labels } }));
    },
  };
}

/** Metrics that record nothing, used when the caller passes none. */
export const noopBreakerMetrics: BreakerMetrics = {
  state: () => undefined,
  transition: () => undefined,
};

import { Counter, Gauge, type Registry } from 'prom-client';

import type { BreakerMetrics, BreakerState } from '../../services/circuit-breaker/index.js';

/** Gauge value of each state; a higher value is a worse state. */
const STATE_VALUES: Record<BreakerState, number> = { closed: 0, halfOpen: 1, open: 2 };

type StateCounts = Record<BreakerState, number>;

/**
 * Creates the circuit breaker metrics on `registry`. There is one breaker per connection
 * and endpoint group, but connection ids are not exported as labels. The state gauge of a
 * provider and group is therefore the worst state among its breakers: 2 while any is
 * open, 1 while any is half-open, else 0.
 *
 * NOTE: breakers the registry removes or shuts down are not reported, so their last state
 * still counts towards the gauge.
 */
export function createPrometheusBreakerMetrics(registry: Registry): BreakerMetrics {
  const gauge = new Gauge({
    name: 'integration_circuit_breaker_state',
    help: "Worst state among a provider's circuit breakers for an endpoint group: 0 closed, 1 half-open, 2 open.",
    labelNames: ['provider', 'group'] as const,
    registers: [registry],
  });
  const transitions = new Counter({
    name: 'integration_circuit_breaker_transitions_total',
    help: 'State changes of circuit breakers, by the state left and the state entered.',
    labelNames: ['provider', 'group', 'from', 'to'] as const,
    registers: [registry],
  });

  // The state of every breaker, and how many breakers of each provider and group are in each state.
  const breakerStates = new Map<string, BreakerState>();
  const stateCounts = new Map<string, StateCounts>();

  return {
    state(labels, state) {
      const breakerKey = JSON.stringify([labels.connectionId, labels.group]);
      const seriesKey = JSON.stringify([labels.provider ?? labels.connector, labels.group]);
      const counts = stateCounts.get(seriesKey) ?? { closed: 0, halfOpen: 0, open: 0 };

      const previous = breakerStates.get(breakerKey);
      if (previous !== undefined) counts[previous] -= 1;
      counts[state] += 1;
      breakerStates.set(breakerKey, state);
      stateCounts.set(seriesKey, counts);

      gauge.set({ provider: labels.provider ?? labels.connector, group: labels.group }, STATE_VALUES[worstState(counts)]);
    },
    transition(labels, from, to) {
      transitions.inc({ provider: labels.provider ?? labels.connector, group: labels.group, from, to });
    },
  };
}

function worstState(counts: StateCounts): BreakerState {
  if (counts.open > 0) return 'open';
  if (counts.halfOpen > 0) return 'halfOpen';
  return 'closed';
}

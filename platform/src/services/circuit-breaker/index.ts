// Circuit breakers per connection and operation group, on opossum 9, so a failing
// provider is paused instead of being sent every request of every run.
export { createBreakerRegistry } from './breaker-registry.js';
export type { BreakerRegistry, BreakerRegistryOptions, BreakerKey, BreakerLabels, BreakerSnapshot } from './breaker-registry.js';
export { isProviderFailure } from './provider-failure.js';
export { buildCircuitOpenError } from './circuit-open-error.js';
export type { CircuitOpenFacts } from './circuit-open-error.js';
export { createInMemoryBreakerMetrics, noopBreakerMetrics } from './breaker-metrics.js';
export type { BreakerMetrics, BreakerMetricLabels, BreakerState, BreakerTransition, InMemoryBreakerMetrics } from './breaker-metrics.js';

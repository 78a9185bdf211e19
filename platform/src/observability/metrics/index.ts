// Prometheus metrics: adapters that back the services' metric interfaces with prom-client.
export { createPlatformMetrics } from './platform-metrics.js';
export type { CreatePlatformMetricsOptions, PlatformMetrics } from './platform-metrics.js';
export { createPrometheusBreakerMetrics } from './breaker-adapter.js';
export { createPrometheusCacheMetrics } from './cache-adapter.js';
export { createPrometheusRateLimitMetrics } from './rate-limit-adapter.js';
export { createPrometheusRequestMetrics } from './request-adapter.js';
export { createPrometheusRetryMetrics } from './retry-adapter.js';
export { createPrometheusSyncMetrics } from './sync-adapter.js';
export { createPrometheusWebhookMetrics } from './webhook-adapter.js';

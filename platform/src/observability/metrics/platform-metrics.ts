import { Registry, collectDefaultMetrics } from 'prom-client';

import type { CacheMetrics } from '../../services/cache/index.js';
import type { BreakerMetrics } from '../../services/circuit-breaker/index.js';
import type { RequestMetrics } from '../../services/pipeline/index.js';
import type { RateLimitMetrics } from '../../services/rate-limit/index.js';
import type { RetryMetrics } from '../../services/retry/index.js';
import type { SyncMetrics } from '../../sync/index.js';
import { createWebhookMetrics, type WebhookMetrics } from '../../webhooks/index.js';
import { createPrometheusBreakerMetrics } from './breaker-adapter.js';
import { createPrometheusCacheMetrics } from './cache-adapter.js';
import { createPrometheusRateLimitMetrics } from './rate-limit-adapter.js';
import { createPrometheusRequestMetrics } from './request-adapter.js';
import { createPrometheusRetryMetrics } from './retry-adapter.js';
import { createPrometheusSyncMetrics } from './sync-adapter.js';
import { createPrometheusWebhookMetrics } from './webhook-adapter.js';

/** Every metric of the platform on one prom-client registry, with one adapter per reporting interface. */
export interface PlatformMetrics {
  registry: Registry;
  requests: RequestMetrics;
  retry: RetryMetrics;
  breakers: BreakerMetrics;
  rateLimit: RateLimitMetrics;
  cache: CacheMetrics;
  sync: SyncMetrics;
  /** Counts on the registry and in memory, so the API can still read a `snapshot()`. */
  webhooks: WebhookMetrics;
  /** Renders every metric in the Prometheus text exposition format, with the matching content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

export interface CreatePlatformMetricsOptions {
  /** Whether to add prom-client's default process and Node.js metrics (CPU, memory, event loop lag, GC). Default true. */
  defaultMetrics?: boolean;
}

/**
 * Creates the platform's metrics on a registry of its own, so two platforms in one
 * process (as in tests) never share counters.
 */
export function createPlatformMetrics(options: CreatePlatformMetricsOptions = {}): PlatformMetrics {
  const registry = new Registry();
  // prom-client keeps a GC observer and an event loop monitor per call, for the life of the process.
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  return {
    registry,
    requests: createPrometheusRequestMetrics(registry),
    retry: createPrometheusRetryMetrics(registry),
    breakers: createPrometheusBreakerMetrics(registry),
    rateLimit: createPrometheusRateLimitMetrics(registry),
    cache: createPrometheusCacheMetrics(registry),
    sync: createPrometheusSyncMetrics(registry),
    webhooks: createPrometheusWebhookMetrics(registry, createWebhookMetrics()),
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

import { Counter, type Registry } from 'prom-client';

import type { WebhookMetrics } from '../../webhooks/index.js';

/**
 * Creates webhook metrics that count on `registry` and in `memory`, whose `snapshot()`
 * the API returns (prom-client reads its values only asynchronously).
 */
export function createPrometheusWebhookMetrics(registry: Registry, memory: WebhookMetrics): WebhookMetrics {
  const received = new Counter({
    name: 'integration_webhooks_received_total',
    help: 'Webhook events verified and stored, by provider and event type; a duplicate delivery is not counted again.',
    labelNames: ['provider', 'event_type'] as const,
    registers: [registry],
  });
  const processed = new Counter({
    name: 'integration_webhooks_processed_total',
    help: 'Webhook processing attempts by result: processed or ignored, failed for an attempt that will be retried, dead for an event given up.',
    labelNames: ['provider', 'status'] as const,
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'integration_webhooks_rejected_total',
    help: 'Webhook deliveries rejected with a 4xx status, by reason: the failed check (e.g. signature_mismatch, timestamp_outside_window) or the error code without its WEBHOOK_ prefix in lower case (e.g. duplicate, body_too_large).',
    labelNames: ['provider', 'reason'] as const,
    registers: [registry],
  });

  return {
    received(provider, eventType) {
      memory.received(provider, eventType);
      received.inc({ provider, event_type: eventType });
    },
    processed(provider, status) {
      memory.processed(provider, status);
      processed.inc({ provider, status });
    },
    rejected(provider, reason) {
      memory.rejected(provider, reason);
      rejected.inc({ provider, reason });
    },
    snapshot: () => memory.snapshot(),
  };
}

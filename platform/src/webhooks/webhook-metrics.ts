/**
 * Webhook counters, read through the API as a `snapshot()`. The running platform passes an
 * implementation that also exports them to Prometheus as
 * `integration_webhooks_received_total{provider, event_type}`,
 * `integration_webhooks_processed_total{provider, status}` and
 * `integration_webhooks_rejected_total{provider, reason}`.
 */
export interface WebhookMetrics {
  received(provider: string, eventType: string): void;
  processed(provider: string, status: string): void;
  /** A delivery turned away before storage: a failed signature, a size, type, address or rate check. */
  rejected(provider: string, reason: string): void;
  snapshot(): WebhookMetricsSnapshot;
}

export interface WebhookMetricsSnapshot {
  received: Array<{ provider: string; eventType: string; value: number }>;
  processed: Array<{ provider: string; status: string; value: number }>;
  rejected: Array<{ provider: string; reason: string; value: number }>;
}

export function createWebhookMetrics(): WebhookMetrics {
  const received = new Map<string, number>();
  const processed = new Map<string, number>();
  const rejected = new Map<string, number>();
  const increment = (counters: Map<string, number>, key: string) => counters.set(key, (counters.get(key) ?? 0) + 1);
  const read = <K extends string>(counters: Map<string, number>, second: K) =>
    [...counters].map(([key, value]) => {
      const [provider = '', label = ''] = JSON.parse(key) as [string, string];
      return { provider, [second]: label, value } as { provider: string; value: number } & Record<K, string>;
    });

  return {
    received: (provider, eventType) => increment(received, JSON.stringify([provider, eventType])),
    processed: (provider, status) => increment(processed, JSON.stringify([provider, status])),
    rejected: (provider, reason) => increment(rejected, JSON.stringify([provider, reason])),
    snapshot: () => ({ received: read(received, 'eventType'), processed: read(processed, 'status'), rejected: read(rejected, 'reason') }),
  };
}

import { describe, expect, it } from 'vitest';

import { ConnectionRequestStats } from './request-stats.js';

const MINUTE_MS = 60_000;

function send(durationMs: number, extra: { attempt?: number; errorType?: 'auth' | 'rate_limited' | 'server_error' } = {}) {
  return { provider: 'hubspot', method: 'GET', attempt: extra.attempt ?? 1, status: '200', durationSeconds: durationMs / 1000, ...(extra.errorType ? { errorType: extra.errorType } : {}) };
}

describe('ConnectionRequestStats', () => {
  it('counts sends per connection', () => {
    const now = Date.UTC(2025, 0, 10, 15, 2);
    const stats = new ConnectionRequestStats(() => now);

    stats.recordSend('conn_a', send(40));
    stats.recordSend('conn_a', send(60, { errorType: 'rate_limited' }));
    stats.recordSend('conn_a', send(80, { attempt: 2 }));
    stats.recordSend('conn_a', send(900, { errorType: 'auth' }));
    stats.recordSend('conn_b', send(10));
    stats.recordCacheLookup('conn_a', 'l1');
    stats.recordCacheLookup('conn_a', 'miss');
    const summary = stats.summary('conn_a');

    expect(summary.requests).toBe(4);
    expect(summary.retries).toBe(1);
    expect(summary.errors).toBe(2);
    expect(summary.errorRate).toBe(0.5);
    expect(summary.errorsByType).toEqual({ rate_limited: 1, auth: 1 });
    expect(summary.rateLimitHits).toBe(1);
    expect(summary.cache).toEqual({ hits: 1, misses: 1, hitRate: 0.5 });
    expect(stats.summary('conn_b').requests).toBe(1);
    expect(stats.summary('conn_c').requests).toBe(0);
    expect(stats.summary('conn_c').latencyMs).toEqual({ p50: null, p95: null });
  });

  it('estimates percentiles within their buckets', () => {
    const stats = new ConnectionRequestStats(() => Date.UTC(2025, 0, 10, 15, 0));
    for (let index = 0; index < 90; index += 1) stats.recordSend('conn_a', send(60));
    for (let index = 0; index < 10; index += 1) stats.recordSend('conn_a', send(2_500));
    const { latencyMs } = stats.summary('conn_a');

    // 60 ms falls in the 50–75 ms bucket and 2,500 ms in the 2,000–3,000 ms bucket.
    expect(latencyMs.p50).toBeGreaterThan(50);
    expect(latencyMs.p50).toBeLessThanOrEqual(75);
    expect(latencyMs.p95).toBeGreaterThan(2_000);
    expect(latencyMs.p95).toBeLessThanOrEqual(3_000);
  });

  it('drops sends older than an hour', () => {
    let now = Date.UTC(2025, 0, 10, 15, 0);
    const stats = new ConnectionRequestStats(() => now);
    stats.recordSend('conn_a', send(10));
    now += 30 * MINUTE_MS;
    stats.recordSend('conn_a', send(10));

    expect(stats.summary('conn_a').requests).toBe(2);
    now += 40 * MINUTE_MS;
    expect(stats.summary('conn_a').requests).toBe(1);
    now += 40 * MINUTE_MS;
    expect(stats.summary('conn_a').requests).toBe(0);
    expect(Date.parse(stats.summary('conn_a').window.to) - Date.parse(stats.summary('conn_a').window.from)).toBeLessThanOrEqual(60 * MINUTE_MS);
  });
});

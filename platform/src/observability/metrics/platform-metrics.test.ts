import { describe, expect, it } from 'vitest';

import { createPlatformMetrics, type PlatformMetrics } from './platform-metrics.js';

type Labels = Record<string, string>;

/** Parses the label set of one exposition line, e.g. `provider="hubspot",layer="l1"`. */
function parseLabels(text: string): Labels {
  const labels: Labels = {};
  for (const match of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
    labels[match[1] as string] = (match[2] as string).replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
  }
  return labels;
}

/** Returns the value of the sample with exactly this name and label set, or undefined when the output has none. */
function readSample(exposition: string, name: string, labels: Labels = {}): number | undefined {
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;

    const found = parseLabels(match[2] ?? '');
    const expected = Object.entries(labels);
    if (expected.length !== Object.keys(found).length) continue;
    if (expected.every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

/** Returns every label set the output has for a sample name. */
function labelSetsOf(exposition: string, name: string): Labels[] {
  return exposition
    .split('\n')
    .map((line) => /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? \S+$/.exec(line))
    .filter((match) => match?.[1] === name)
    .map((match) => parseLabels(match?.[2] ?? ''));
}

async function render(metrics: PlatformMetrics): Promise<string> {
  return (await metrics.render()).body;
}

describe('request metrics adapter', () => {
  it('counts a successful send', async () => {
    const metrics = createPlatformMetrics({ defaultMetrics: false });

    metrics.requests.sent({ provider: 'hubspot', method: 'GET', attempt: 1, status: '200', durationSeconds: 0.3 });
    metrics.requests.sent({ provider: 'hubspot', method: 'GET', attempt: 1, status: '200', durationSeconds: 0.02 });

    const output = await render(metrics);
    expect(readSample(output, 'integration_requests_total', { provider: 'hubspot', method: 'GET', status: '200' })).toBe(2);
    expect(readSample(output, 'integration_request_duration_seconds_count', { provider: 'hubspot', method: 'GET' })).toBe(2);
    expect(readSample(output, 'integration_request_duration_seconds_sum', { provider: 'hubspot', method: 'GET' })).toBeCloseTo(0.32, 10);
    expect(readSample(output, 'integration_request_duration_seconds_bucket', { provider: 'hubspot', method: 'GET', le: '0.025' })).toBe(1);
    expect(readSample(output, 'integration_request_duration_seconds_bucket', { provider: 'hubspot', method: 'GET', le: '0.25' })).toBe(1);
    expect(readSample(output, 'integration_request_duration_seconds_bucket', { provider: 'hubspot', method: 'GET', le: '0.5' })).toBe(2);
    expect(labelSetsOf(output, 'integration_errors_total')).toEqual([]);
    expect(labelSetsOf(output, 'integration_retries_total')).toEqual([]);
  });

  it('counts errors, rate limit hits and retries', async () => {
    const metrics = createPlatformMetrics({ defaultMetrics: false });

    metrics.requests.sent({ provider: 'shopify', method: 'POST', attempt: 1, status: '429', errorType: 'rate_limited', durationSeconds: 0.1 });
    metrics.requests.sent({ provider: 'shopify', method: 'POST', attempt: 2, status: 'timeout', errorType: 'timeout', durationSeconds: 30 });
    metrics.requests.sent({ provider: 'shopify', method: 'POST', attempt: 3, status: '201', durationSeconds: 0.2 });

    const output = await render(metrics);
    expect(readSample(output, 'integration_requests_total', { provider: 'shopify', method: 'POST', status: '429' })).toBe(1);
    expect(readSample(output, 'integration_requests_total', { provider: 'shopify', method: 'POST', status: 'timeout' })).toBe(1);
    expect(readSample(output, 'integration_requests_total', { provider: 'shopify', method: 'POST', status: '201' })).toBe(1);
    expect(readSample(output, 'integration_errors_total', { provider: 'shopify', error_type: 'rate_limited' })).toBe(1);
    expect(readSample(output, 'integration_errors_total', { provider: 'shopify', error_type: 'timeout' })).toBe(1);
    expect(readSample(output, 'integration_rate_limit_hits_total', { provider: 'shopify' })).toBe(1);
    expect(readSample(output, 'integration_retries_total', { provider: 'shopify', attempt: '2' })).toBe(1);
    expect(readSample(output, 'integration_retries_total', { provider: 'shopify', attempt: '3' })).toBe(1);
    expect(readSample(output, 'integration_retries_total', { provider: 'shopify', attempt: '1' })).toBeUndefined();
  });
});

describe('retry metrics adapter', () => {
  it('counts give-ups and successes after a retry', async () => {
    const metrics = createPlatformMetrics({ defaultMetrics: false });

    metrics.retry.attempt({ connector: 'hubspot', outcome: 'retryable' });
    metrics.retry.giveUp({ connector: 'hubspot', outcome: 'retryable' });
    metrics.retry.giveUp({ connector: 'hubspot', outcome: 'rateLimited' });
    metrics.retry.giveUp({ connector: 'hubspot', outcome: 'rateLimited' });
    metrics.retry.successAfterRetry({ connector: 'hubspot', outcome: 'success' });

    const output = await render(metrics);
    expect(readSample(output, 'integration_retry_give_ups_total', { provider: 'hubspot', outcome: 'retryable' })).toBe(1);
    expect(readSample(output, 'integration_retry_give_ups_total', { provider: 'hubspot', outcome: 'rateLimited' })).toBe(2);
    expect(readSample(output, 'integration_retry_successes_total', { provider: 'hubspot' })).toBe(1);
    // Attempts are counted per send by the request metrics, not here.
    expect(readSample(output, 'integration_requests_total', { provider: 'hubspot', method: 'GET', status: '200' })).toBeUndefined();
  });
});

describe('circuit breaker metrics adapter', () => {
  const first = { connector: 'hubspot', connectionId: 'conn_1', group: 'default' };
  const second = { connector: 'hubspot', connectionId: 'conn_2', group: 'default' };

  it('shows the worst state among connections', async () => {
    const metrics = createPlatformMetrics({ defaultMetrics: false });
    const gauge = async () => readSample(await render(metrics), 'integration_circuit_breaker_state', { provider: 'hubspot', group: 'default' });

    metrics.breakers.state(first, 'closed');
    metrics.breakers.state(second, 'closed');
    expect(await gauge()).toBe(0);

    metrics.breakers.state(first, 'open');
    expect(await gauge()).toBe(2);

    metrics.breakers.state(second, 'halfOpen');
    expect(await gauge()).toBe(2);

    metrics.breakers.state(first, 'closed');
    expect(await gauge()).toBe(1);

    metrics.breakers.state(second, 'closed');
    expect(await gauge()).toBe(0);
  });

  it('keeps groups apart and drops connection ids', async () => {
    const metrics = createPlatformMetrics({ defaultMetrics: false });

    metrics.breakers.state({ ...first, group: 'search' }, 'open');
    metrics.breakers.state(second, 'closed');

    const output = await render(metrics);
    expect(readSample(output, 'integration_circuit_breaker_state', { provider: 'hubspot', group: 'search' })).toBe(2);
    expect(readSample(output, 'integration_circuit_breaker_state', { provider: 'hubspot', group: 'default' })).toBe(0);
    expect(output).not.toContain('conn_1');
    expect(output).not.toContain('conn_2');
  });

  it('labels the provider by connector id', async () => {
    const metrics = createPlatformMetrics({ defaultMetrics: false });

    metrics.breakers.state({ connector: 'HubSpot', provider: 'hubspot', connectionId: 'conn_3', group: 'search' }, 'open');

    const output = await render(metrics);
    expect(readSample(output, 'integration_circuit_breaker_state', { provider: 'hubspot', group: 'search' })).toBe(2);
    expect(output).not.toContain('provider="HubSpot"');
  });

  it('counts transitions by from and to', async () => {
    const metrics = createPlatformMetrics({ defaultMetrics: false });

    metrics.breakers.transition(first, 'closed', 'open');
    metrics.breakers.transition(second, 'closed', 'open');
    metrics.breakers.transition(first, 'open', 'halfOpen');

    const output = await render(metrics);
    expect(readSample(output, 'integration_circuit_breaker_transitions_total', { provider: 'hubspot', group: 'default', from: 'closed', to: 'open' })).toBe(2);
    expect(readSample(output, 'integration_circuit_breaker_transitions_total', { provider: 'hubspot', group: 'default', from: 'open', to: 'halfOpen' })).toBe(1);
  });
});

describe('rate limit metrics adapter', () => {
  const labels = { connector: 'hubspot', budget: 'burst', connectionId: 'conn_1' };

  it('records waits in seconds', async () => {
    const metrics = createPlatformMetrics({ defaultMetrics: false });

    metrics.rateLimit.waited({ ...labels, priority: 'bulk' }, 0);
    metrics.rateLimit.waited({ ...labels, priority: 'bulk' }, 1500);
    metrics.rateLimit.waited({ ...labels, priority: 'interactive' }, 40);

    const output = await render(metrics);
    const bulk = { provider: 'hubspot', budget: 'burst', priority: 'bulk' };
    expect(readSample(output, 'integration_rate_limit_wait_seconds_count', bulk)).toBe(2);
    expect(readSample(output, 'integration_rate_limit_wait_seconds_sum', bulk)).toBe(1.5);
    expect(readSample(output, 'integration_rate_limit_wait_seconds_bucket', { ...bulk, le: '1' })).toBe(1);
    expect(readSample(output, 'integration_rate_limit_wait_seconds_bucket', { ...bulk, le: '5' })).toBe(2);
    expect(readSample(output, 'integration_rate_limit_wait_seconds_sum', { ...bulk, priority: 'interactive' })).toBe(0.04);
  });

  it('keeps the last remaining value per budget', async () => {
    const metrics = createPlatformMetrics({ defaultMetrics: false });

    metrics.rateLimit.remaining(labels, 90);
    metrics.rateLimit.remaining({ ...labels, connectionId: 'conn_2' }, 12);
    metrics.rateLimit.remaining({ ...labels, budget: 'daily' }, 250_000);

    const output = await render(metrics);
    expect(readSample(output, 'integration_rate_limit_remaining', { provider: 'hubspot', budget: 'burst' })).toBe(12);
    expect(readSample(output, 'integration_rate_limit_remaining', { provider: 'hubspot', budget: 'daily' })).toBe(250_000);
    expect(output).not.toContain('conn_');
  });

  it('counts paused budgets', async () => {
    const metrics = createPlatformMetrics({ defaultMetrics: false });

    metrics.rateLimit.hit(labels);
    metrics.rateLimit.hit({ ...labels, connectionId: 'conn_2' });

    const output = await render(metrics);
    expect(readSample(output, 'integration_rate_limit_pauses_total', { provider: 'hubspot', budget: 'burst' })).toBe(2);
    // Hits are counted per rate-limited response by the request metrics, so a pause adds none.
    expect(readSample(output, 'integration_rate_limit_hits_total', { provider: 'hubspot' })).toBeUndefined();
  });
});

describe('cache metrics adapter', () => {
  it('counts hits and misses per layer', async () => {
    const metrics = createPlatformMetrics({ defaultMetrics: false });

    metrics.cache.hit('l1', { provider: 'hubspot' });
    metrics.cache.hit('l1', { provider: 'hubspot' });
    metrics.cache.miss('l1', { provider: 'hubspot' });
    metrics.cache.miss('l2', { provider: 'hubspot' });
    metrics.cache.hit('l2', { provider: 'pipedrive' });

    const output = await render(metrics);
    expect(readSample(output, 'integration_cache_hits_total', { provider: 'hubspot', layer: 'l1' })).toBe(2);
    expect(readSample(output, 'integration_cache_misses_total', { provider: 'hubspot', layer: 'l1' })).toBe(1);
    expect(readSample(output, 'integration_cache_misses_total', { provider: 'hubspot', layer: 'l2' })).toBe(1);
    expect(readSample(output, 'integration_cache_hits_total', { provider: 'pipedrive', layer: 'l2' })).toBe(1);
    expect(readSample(output, 'integration_cache_hits_total', { provider: 'hubspot', layer: 'l2' })).toBeUndefined();
  });
});

describe('sync metrics adapter', () => {
  it('counts stored and failed records', async () => {
    const metrics = createPlatformMetrics({ defaultMetrics: false });

    metrics.sync.pageStored('hubspot', 100, 2);
    metrics.sync.pageStored('hubspot', 40, 0);

    const output = await render(metrics);
    expect(readSample(output, 'integration_sync_records_processed_total', { provider: 'hubspot' })).toBe(140);
    expect(readSample(output, 'integration_sync_records_failed_total', { provider: 'hubspot' })).toBe(2);
  });

  it('observes the duration of succeeded runs only', async () => {
    const metrics = createPlatformMetrics({ defaultMetrics: false });

    metrics.sync.runEnded('hubspot', 'succeeded', 12.5);
    metrics.sync.runEnded('hubspot', 'failed');

    const output = await render(metrics);
    expect(readSample(output, 'integration_sync_runs_total', { provider: 'hubspot', status: 'succeeded' })).toBe(1);
    expect(readSample(output, 'integration_sync_runs_total', { provider: 'hubspot', status: 'failed' })).toBe(1);
    expect(readSample(output, 'integration_sync_duration_seconds_count', { provider: 'hubspot' })).toBe(1);
    expect(readSample(output, 'integration_sync_duration_seconds_sum', { provider: 'hubspot' })).toBe(12.5);
    expect(readSample(output, 'integration_sync_duration_seconds_bucket', { provider: 'hubspot', le: '5' })).toBe(0);
    expect(readSample(output, 'integration_sync_duration_seconds_bucket', { provider: 'hubspot', le: '15' })).toBe(1);
  });

  it('rejects a negative record count', () => {
    const metrics = createPlatformMetrics({ defaultMetrics: false });
    expect(() => metrics.sync.pageStored('hubspot', -1, 0)).toThrow();
  });
});

describe('webhook metrics adapter', () => {
  it('counts on the registry and in the snapshot', async () => {
    const metrics = createPlatformMetrics({ defaultMetrics: false });

    metrics.webhooks.received('hubspot', 'contact.creation');
    metrics.webhooks.received('hubspot', 'contact.creation');
    metrics.webhooks.processed('hubspot', 'processed');
    metrics.webhooks.processed('hubspot', 'dead');
    metrics.webhooks.rejected('hubspot', 'signature_mismatch');

    const output = await render(metrics);
    expect(readSample(output, 'integration_webhooks_received_total', { provider: 'hubspot', event_type: 'contact.creation' })).toBe(2);
    expect(readSample(output, 'integration_webhooks_processed_total', { provider: 'hubspot', status: 'processed' })).toBe(1);
    expect(readSample(output, 'integration_webhooks_processed_total', { provider: 'hubspot', status: 'dead' })).toBe(1);
    expect(readSample(output, 'integration_webhooks_rejected_total', { provider: 'hubspot', reason: 'signature_mismatch' })).toBe(1);

    expect(metrics.webhooks.snapshot()).toEqual({
      received: [{ provider: 'hubspot', eventType: 'contact.creation', value: 2 }],
      processed: [
        { provider: 'hubspot', status: 'processed', value: 1 },
        { provider: 'hubspot', status: 'dead', value: 1 },
      ],
      rejected: [{ provider: 'hubspot', reason: 'signature_mismatch', value: 1 }],
    });
  });

  it('escapes quotes in label values', async () => {
    const metrics = createPlatformMetrics({ defaultMetrics: false });

    metrics.webhooks.received('hubspot', 'odd "type"\\x');

    const output = await render(metrics);
    expect(output).toContain('event_type="odd \\"type\\"\\\\x"');
    expect(readSample(output, 'integration_webhooks_received_total', { provider: 'hubspot', event_type: 'odd "type"\\x' })).toBe(1);
  });
});

describe('createPlatformMetrics', () => {
  it('renders the Prometheus text format', async () => {
    const metrics = createPlatformMetrics({ defaultMetrics: false });
    const { contentType, body } = await metrics.render();

    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(body).toContain('# TYPE integration_requests_total counter');
    expect(body).toContain('# TYPE integration_request_duration_seconds histogram');
    expect(body).toContain('# TYPE integration_rate_limit_remaining gauge');
    expect(body).not.toContain('process_cpu_user_seconds_total');
  });

  it('adds the default process metrics', async () => {
    const metrics = createPlatformMetrics();
    const output = await render(metrics);

    // prom-client counts CPU time from the collector's creation, so right after it may still be 0.
    expect(readSample(output, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
    expect(readSample(output, 'process_start_time_seconds')).toBeGreaterThan(1_600_000_000);
    expect(output).toContain('# TYPE nodejs_heap_size_used_bytes gauge');
  });

  it('keeps two platforms apart', async () => {
    const one = createPlatformMetrics({ defaultMetrics: false });
    const other = createPlatformMetrics({ defaultMetrics: false });

    one.cache.hit('l1', { provider: 'hubspot' });

    expect(readSample(await render(one), 'integration_cache_hits_total', { provider: 'hubspot', layer: 'l1' })).toBe(1);
    expect(readSample(await render(other), 'integration_cache_hits_total', { provider: 'hubspot', layer: 'l1' })).toBeUndefined();
  });
});

import type { ConnectorManifest } from '@lumio/plugin-sdk';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/src/observability/index.js';
import { createManualClock } from '../../platform/src/services/rate-limit/manual-clock.js';
import { createInMemoryRateLimitMetrics, createRateLimiter } from '../../platform/src/services/rate-limit/index.js';

const manifest = JSON.parse(readFileSync(new URL('../../connectors/hubspot/manifest.json', import.meta.url), 'utf8')) as ConnectorManifest;
const rateLimits = manifest.rateLimits!;

describe('rate limiter with the HubSpot manifest', () => {
  it('waits after remaining reaches zero', async () => {
    const clock = createManualClock();
    const metrics = createInMemoryRateLimitMetrics();
    const limiter = createRateLimiter({ keyPrefix: 'hubspot-test:', logger: silentLogger, metrics, clock });
    const request = { connector: manifest.id, connectionId: 'conn-1', accountKey: 'portal-62515', budgets: rateLimits.budgets };
    await limiter.acquire({ ...request, priority: 'bulk' });

    const observed = await limiter.observe({
      ...request,
      quotaHeaders: rateLimits.quotaHeaders,
      response: {
        status: 200,
        headers: {
          'x-hubspot-ratelimit-remaining': '0',
          'x-hubspot-ratelimit-max': '100',
          'x-hubspot-ratelimit-interval-milliseconds': '10000',
        },
      },
    });
    const snapshot = await limiter.snapshot('conn-1');
    const remainingMetric = metrics.lastRemaining(manifest.id, 'burst', 'conn-1');
    let grantedAt: number | undefined;
    const next = limiter.acquire({ ...request, endpointGroup: 'search', priority: 'interactive' }).then((result) => {
      grantedAt = clock.now();
      return result;
    });
    const start = clock.now();
    await clock.advance(9999);
    const grantedEarly = grantedAt !== undefined;
    await clock.advance(1);
    const result = await next;

    expect(observed.quota).toEqual({ remaining: 0, limit: 100, intervalMs: 10_000 });
    // The reading describes the 100-per-10-seconds budget, not the search group.
    expect(snapshot.map((entry) => [entry.budget, entry.remaining])).toEqual([
      ['burst', 0],
      ['search', 5],
    ]);
    expect(remainingMetric).toBe(0);
    expect(grantedEarly).toBe(false);
    expect(grantedAt! - start).toBe(10_000);
    expect(result.waitedMs).toBe(10_000);
    await limiter.close();
  });
});

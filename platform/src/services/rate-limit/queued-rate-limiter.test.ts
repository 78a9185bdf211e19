import type { RateLimitBudget } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { isLumioError } from '../../errors/index.js';
import { createLogger } from '../../observability/index.js';
import { createRateLimiter, type CreateRateLimiterOptions } from './create-rate-limiter.js';
import { createManualClock } from './manual-clock.js';
import { createInMemoryRateLimitMetrics } from './rate-limit-metrics.js';
import type { AcquireOptions } from './rate-limit-types.js';

const ONE_PER_SECOND: RateLimitBudget = { name: 'main', scope: 'connection', algorithm: 'slidingWindow', limit: 1, intervalMs: 1000 };

function setup(options: Partial<CreateRateLimiterOptions> = {}) {
  const clock = createManualClock();
  const metrics = createInMemoryRateLimitMetrics();
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) } });
  const limiter = createRateLimiter({ keyPrefix: 'test:', logger, metrics, clock, windowMarginMs: 0, ...options });
  const request = (overrides: Partial<AcquireOptions> = {}): AcquireOptions => ({
    connector: 'acme',
    connectionId: 'conn-1',
    budgets: [ONE_PER_SECOND],
    priority: 'bulk',
    ...overrides,
  });
  return { clock, metrics, logs, limiter, request };
}

/** Returns the code of a LumioError, or undefined for anything else. */
function codeOf(error: unknown): string | undefined {
  return isLumioError(error) ? error.code : undefined;
}

/** Starts an acquire and records the clock time of its grant or the error. */
function track(promise: Promise<{ waitedMs: number }>, clock: { now(): number }) {
  const outcome: { grantedAt?: number; waitedMs?: number; error?: unknown } = {};
  const settled = promise.then(
    (result) => {
      outcome.grantedAt = clock.now();
      outcome.waitedMs = result.waitedMs;
    },
    (error: unknown) => {
      outcome.error = error;
    },
  );
  return { outcome, settled };
}

describe('rate limiter: waiting', () => {
  it('sleeps until the next slot', async () => {
    const { clock, limiter, request } = setup();
    await limiter.acquire(request());

    const second = track(limiter.acquire(request()), clock);
    await clock.advance(999);
    const grantedEarly = second.outcome.grantedAt !== undefined;
    await clock.advance(1);

    expect(grantedEarly).toBe(false);
    expect(second.outcome.waitedMs).toBe(1000);
    // One timer for the sleeping waiter, none left once it was granted.
    expect(clock.pendingTimers()).toBe(0);
  });

  it('grants at once without budgets', async () => {
    const { limiter, request } = setup();

    const result = await limiter.acquire(request({ budgets: [] }));

    expect(result.waitedMs).toBe(0);
  });

  it('serves interactive before bulk', async () => {
    const { clock, limiter, request } = setup({ interactiveShare: 0 });
    await limiter.acquire(request());
    const order: string[] = [];

    const pending = [
      limiter.acquire(request({ priority: 'bulk' })).then(() => order.push('bulk-1')),
      limiter.acquire(request({ priority: 'bulk' })).then(() => order.push('bulk-2')),
      limiter.acquire(request({ priority: 'interactive' })).then(() => order.push('interactive')),
    ];
    await clock.advance(3000);
    await Promise.all(pending);

    expect(order).toEqual(['interactive', 'bulk-1', 'bulk-2']);
  });

  it('lets others past a group waiter', async () => {
    const budgets: RateLimitBudget[] = [
      { name: 'burst', scope: 'account', algorithm: 'slidingWindow', limit: 10, intervalMs: 1000 },
      { name: 'search', scope: 'endpointGroup', endpointGroup: 'search', algorithm: 'slidingWindow', limit: 1, intervalMs: 1000 },
    ];
    const { clock, limiter, request } = setup();
    await limiter.acquire(request({ budgets, endpointGroup: 'search', priority: 'interactive' }));

    const search = track(limiter.acquire(request({ budgets, endpointGroup: 'search', priority: 'interactive' })), clock);
    await clock.advance(10);
    const plain = track(limiter.acquire(request({ budgets, priority: 'bulk' })), clock);
    await clock.advance(10);
    const snapshot = await limiter.snapshot('conn-1');

    expect(search.outcome.grantedAt).toBeUndefined();
    expect(plain.outcome.waitedMs).toBe(0);
    // The waiting search request has taken no unit of the shared budget.
    expect(snapshot.find((entry) => entry.budget === 'burst')?.used).toBe(2);
    await clock.advance(1000);
    expect(search.outcome.waitedMs).toBe(1000);
  });

  it('rejects a wait past maxWaitMs', async () => {
    const { limiter, request } = setup();
    await limiter.acquire(request());

    const error = await limiter.acquire(request({ maxWaitMs: 500 })).catch((caught: unknown) => caught);

    expect(codeOf(error)).toBe('RATE_LIMITED');
    expect(isLumioError(error) ? error.details.retryAfterMs : undefined).toBe(1000);
  });

  it('rejects an invalid priority', async () => {
    const { limiter, request } = setup();

    const error = await limiter.acquire(request({ priority: 'urgent' as never })).catch((caught: unknown) => caught);

    expect(codeOf(error)).toBe('RATE_LIMIT_REQUEST_INVALID');
  });

  it('rejects an invalid budget', async () => {
    const { limiter, request } = setup();
    const budgets: RateLimitBudget[] = [{ ...ONE_PER_SECOND, limit: 0 }];

    const error = await limiter.acquire(request({ budgets })).catch((caught: unknown) => caught);

    expect(codeOf(error)).toBe('RATE_LIMIT_BUDGET_INVALID');
  });
});

describe('rate limiter: abort and close', () => {
  it('stops waiting on abort', async () => {
    const { clock, limiter, request } = setup();
    await limiter.acquire(request());
    const controller = new AbortController();

    const aborted = track(limiter.acquire(request({ signal: controller.signal })), clock);
    const next = track(limiter.acquire(request()), clock);
    await clock.advance(100);
    controller.abort();
    await aborted.settled;
    await clock.advance(900);

    expect(codeOf(aborted.outcome.error)).toBe('REQUEST_ABORTED');
    // The aborted waiter took no budget, so the next one gets the slot when it frees.
    expect(next.outcome.waitedMs).toBe(1000);
  });

  it('rejects an already aborted signal', async () => {
    const { limiter, request } = setup();

    const error = await limiter.acquire(request({ signal: AbortSignal.abort() })).catch((caught: unknown) => caught);
    const snapshot = await limiter.snapshot('conn-1');

    expect(codeOf(error)).toBe('REQUEST_ABORTED');
    expect(snapshot[0]?.used).toBe(0);
  });

  it('rejects waiters on close', async () => {
    const { clock, limiter, request } = setup();
    await limiter.acquire(request());

    const waiting = track(limiter.acquire(request()), clock);
    await limiter.close();
    await waiting.settled;
    const afterClose = await limiter.acquire(request()).catch((caught: unknown) => caught);

    expect(codeOf(waiting.outcome.error)).toBe('RATE_LIMITER_CLOSED');
    expect(codeOf(afterClose)).toBe('RATE_LIMITER_CLOSED');
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('rate limiter: provider responses', () => {
  const budgets: RateLimitBudget[] = [{ name: 'main', scope: 'connection', algorithm: 'slidingWindow', limit: 100, intervalMs: 10_000 }];

  it('pauses for Retry-After seconds', async () => {
    const { clock, limiter, request } = setup();

    const result = await limiter.observe({ ...request({ budgets }), response: { status: 429, headers: { 'retry-after': '3' } } });
    const next = track(limiter.acquire(request({ budgets })), clock);
    await clock.advance(2999);
    const grantedEarly = next.outcome.grantedAt !== undefined;
    await clock.advance(1);

    expect(result.pausedForMs).toBe(3000);
    expect(grantedEarly).toBe(false);
    expect(next.outcome.waitedMs).toBe(3000);
  });

  it('pauses until a Retry-After date', async () => {
    const { clock, limiter, request } = setup();
    const retryAt = new Date(clock.now() + 5000).toUTCString();

    const result = await limiter.observe({ ...request({ budgets }), response: { status: 429, headers: { 'Retry-After': retryAt } } });
    const next = track(limiter.acquire(request({ budgets })), clock);
    await clock.advance(5000);

    expect(result.pausedForMs).toBe(5000);
    expect(next.outcome.waitedMs).toBe(5000);
  });

  it('backs off without Retry-After', async () => {
    const { limiter, request, metrics, logs } = setup();

    const first = await limiter.observe({ ...request({ budgets }), response: { status: 429, headers: {} } });
    const warning = logs.find((line) => line.level === 40);

    expect(first.pausedForMs).toBe(1000);
    expect(metrics.hitCount('acme', 'main')).toBe(1);
    expect(warning?.connector).toBe('acme');
    expect(warning?.connectionId).toBe('conn-1');
    expect(warning?.budgets).toEqual(['main']);
  });

  it('treats a rateLimited outcome as a hit', async () => {
    const { limiter, request, metrics } = setup();

    const result = await limiter.observe({ ...request({ budgets }), rateLimited: true, response: { status: 200, headers: {} } });

    expect(result.pausedForMs).toBe(1000);
    expect(metrics.hitCount('acme')).toBe(1);
  });

  it('reads a custom wait header', async () => {
    const { limiter, request } = setup();

    const result = await limiter.observe({
      ...request({ budgets }),
      waitHeader: 'X-Wait',
      response: { status: 429, headers: { 'x-wait': '7', 'retry-after': '1' } },
    });

    expect(result.pausedForMs).toBe(7000);
  });

  it('reads a wait header in milliseconds', async () => {
    const { limiter, request } = setup();

    const result = await limiter.observe({
      ...request({ budgets }),
      waitHeader: 'X-RateLimit-Reset-After-Ms',
      response: { status: 429, headers: { 'X-RateLimit-Reset-After-Ms': '2500' } },
    });

    expect(result.pausedForMs).toBe(2500);
  });

  it('ignores success without quota headers', async () => {
    const { limiter, request, metrics } = setup();

    const result = await limiter.observe({ ...request({ budgets }), response: { status: 200, headers: { 'retry-after': '5' } } });
    const next = await limiter.acquire(request({ budgets }));

    expect(result).toEqual({ pausedForMs: null, quota: null });
    expect(next.waitedMs).toBe(0);
    expect(metrics.hitCount('acme')).toBe(0);
  });

  it('counts a window from the response', async () => {
    const { clock, limiter, request } = setup();
    const first = await limiter.acquire(request());
    await clock.advance(400);

    await limiter.observe({ ...request(), grantId: first.grantId, response: { status: 200, headers: {} } });
    const next = track(limiter.acquire(request()), clock);
    await clock.advance(1400);

    expect(next.outcome.waitedMs).toBe(1000);
  });

  it('waits after remaining reaches zero', async () => {
    const { clock, limiter, request, metrics } = setup();
    const quotaHeaders = { remaining: 'X-HubSpot-RateLimit-Remaining', limit: 'X-HubSpot-RateLimit-Max', intervalMs: 'X-HubSpot-RateLimit-Interval-Milliseconds' };
    const headers = {
      'x-hubspot-ratelimit-remaining': '0',
      'x-hubspot-ratelimit-max': '100',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
    };

    const result = await limiter.observe({ ...request({ budgets }), quotaHeaders, response: { status: 200, headers } });
    const remainingAfterObserve = metrics.lastRemaining('acme', 'main', 'conn-1');
    const next = track(limiter.acquire(request({ budgets })), clock);
    await clock.advance(10_000);

    expect(result.quota).toEqual({ remaining: 0, limit: 100, intervalMs: 10_000 });
    expect(remainingAfterObserve).toBe(0);
    expect(next.outcome.waitedMs).toBe(10_000);
  });
});

describe('rate limiter: reporting', () => {
  it('logs a long wait once', async () => {
    const { clock, limiter, request, logs } = setup();
    const budgets: RateLimitBudget[] = [{ name: 'slow', scope: 'connection', algorithm: 'slidingWindow', limit: 1, intervalMs: 1500 }];
    await limiter.acquire(request({ budgets }));

    const next = track(limiter.acquire(request({ budgets })), clock);
    await clock.advance(1500);
    await next.settled;
    const infos = logs.filter((line) => line.level === 30);

    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatchObject({ connector: 'acme', connectionId: 'conn-1', budget: 'slow', waitedMs: 1500 });
  });

  it('does not log short waits', async () => {
    const { clock, limiter, request, logs } = setup();
    await limiter.acquire(request());

    const next = track(limiter.acquire(request()), clock);
    await clock.advance(1000);
    await next.settled;

    expect(logs.filter((line) => line.level === 30)).toHaveLength(0);
  });

  it('records waits and remaining', async () => {
    const { clock, limiter, request, metrics } = setup();
    const budgets: RateLimitBudget[] = [{ name: 'pair', scope: 'connection', algorithm: 'slidingWindow', limit: 2, intervalMs: 1000 }];
    await limiter.acquire(request({ budgets }));
    const remainingAfterFirst = metrics.lastRemaining('acme', 'pair', 'conn-1');
    await limiter.acquire(request({ budgets, priority: 'interactive' }));

    const third = track(limiter.acquire(request({ budgets })), clock);
    await clock.advance(1000);
    await third.settled;

    expect(remainingAfterFirst).toBe(1);
    expect(metrics.waits.map((wait) => wait.ms)).toEqual([0, 0, 1000]);
    expect(metrics.waits.map((wait) => wait.labels.priority)).toEqual(['bulk', 'interactive', 'bulk']);
    expect(metrics.waits[2]?.labels.budget).toBe('pair');
  });

  it('reports every key in a snapshot', async () => {
    const budgets: RateLimitBudget[] = [
      { name: 'burst', scope: 'account', algorithm: 'slidingWindow', limit: 100, intervalMs: 10_000 },
      { name: 'search', scope: 'endpointGroup', endpointGroup: 'search', algorithm: 'slidingWindow', limit: 5, intervalMs: 1000 },
      { name: 'daily', scope: 'connection', algorithm: 'tokenBucket', limit: 1000, intervalMs: 86_400_000 },
    ];
    const { clock, limiter, request } = setup();
    await limiter.acquire(request({ budgets, accountKey: 'portal 7' }));
    await limiter.observe({ ...request({ budgets, accountKey: 'portal 7' }), response: { status: 429, headers: { 'retry-after': '2' } } });

    const snapshot = await limiter.snapshot('conn-1');

    expect(snapshot.map((entry) => entry.key)).toEqual([
      'acme:account:a.portal%207:burst',
      'acme:group.search:a.portal%207:search',
      'acme:connection:c.conn-1:daily',
    ]);
    expect(snapshot.map((entry) => [entry.used, entry.remaining])).toEqual([
      [1, 99],
      [0, 5],
      [1, 999],
    ]);
    // The 429 came from a request without an endpoint group, so the search budget is not paused.
    expect(snapshot.map((entry) => entry.pausedUntil)).toEqual([clock.now() + 2000, null, clock.now() + 2000]);
  });

  it('returns no snapshot for an unknown connection', async () => {
    const { limiter } = setup();

    expect(await limiter.snapshot('conn-unknown')).toEqual([]);
  });
});

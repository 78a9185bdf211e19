import type { RetryPolicy } from '@lumio/plugin-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LumioError } from '../../platform/src/errors/index.js';
import { createHttpClient, describeUrl, type HttpClient, type HttpResponse } from '../../platform/src/http/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { ProviderRequestError } from '../../platform/src/runtime/index.js';
import {
  createInMemoryRetryMetrics,
  createRetryBudget,
  withRetry,
  type RetryAttemptEvent,
  type RetryOptions,
} from '../../platform/src/services/retry/index.js';
import { startFaultServer, type FaultServer } from './retry-fault-server.js';

// Timer callbacks may run a little early relative to performance.now() readings taken
// on another code path, so lower bounds allow this much slack, in milliseconds.
const TIMER_SLACK_MS = 5;
// Upper bounds only catch a wait that is far too long, because a loaded machine adds delay.
const LOADED_MACHINE_SLACK_MS = 1500;
const API_KEY = 'secret-key-123456';

describe('withRetry against a live server', () => {
  let server: FaultServer;
  let client: HttpClient;

  beforeAll(async () => {
    server = await startFaultServer();
    client = createHttpClient({ allowPrivateNetwork: true, userAgent: 'lumio-test', logger: silentLogger, timeoutMs: 300 });
  });

  afterAll(async () => {
    await client.close();
    await server.close();
  });

  beforeEach(() => server.reset());

  /** Sends GET /items the way the runtime does: a non-2xx status raises ProviderRequestError. */
  const sendItems = async (): Promise<HttpResponse> => {
    const url = new URL(`${server.url}/items`);
    const response = await client.send({ method: 'GET', url: url.href, headers: { 'x-api-key': API_KEY } });
    if (response.status >= 200 && response.status < 300) return response;
    throw new ProviderRequestError({ connector: 'Test API', method: 'GET', target: describeUrl(url), response, secrets: [API_KEY] });
  };

  const options = (overrides: Partial<RetryOptions> = {}): RetryOptions => ({
    policy: { baseDelayMs: 100, maxDelayMs: 1000 },
    random: () => 1,
    logger: silentLogger,
    context: { connector: 'Test API', connectionId: 'conn_1', operation: 'items.list' },
    ...overrides,
  });

  async function capture(action: () => Promise<unknown>): Promise<LumioError> {
    try {
      await action();
    } catch (error) {
      return error as LumioError;
    }
    throw new Error('expected the action to fail');
  }

  it('backs off exponentially between 503s', async () => {
    server.enqueue({ type: 'status', status: 503 }, { type: 'status', status: 503 }, { type: 'status', status: 503 });
    const metrics = createInMemoryRetryMetrics();

    const response = await withRetry(sendItems, options({ metrics }));

    expect(response.status).toBe(200);
    expect(server.arrivals).toHaveLength(4);
    const gaps = server.gaps();
    [100, 200, 400].forEach((expected, index) => {
      expect(gaps[index]).toBeGreaterThanOrEqual(expected - TIMER_SLACK_MS);
      expect(gaps[index]).toBeLessThan(expected + LOADED_MACHINE_SLACK_MS);
    });
    expect(metrics.count('attempt', { outcome: 'retryable' })).toBe(3);
    expect(metrics.count('successAfterRetry')).toBe(1);
  });

  it('honours Retry-After in seconds', async () => {
    server.enqueue({ type: 'status', status: 429, headers: { 'retry-after': '1' } });

    const response = await withRetry(sendItems, options({ random: () => 0 }));

    expect(response.status).toBe(200);
    expect(server.arrivals).toHaveLength(2);
    expect(server.gaps()[0]).toBeGreaterThanOrEqual(1000 - TIMER_SLACK_MS);
    expect(server.gaps()[0]).toBeLessThan(1000 + LOADED_MACHINE_SLACK_MS);
  });

  it('honours Retry-After as HTTP-date', async () => {
    // HTTP-dates have whole seconds, so the target is the next whole second at least 1 s away.
    const retryAt = Math.ceil((Date.now() + 1000) / 1000) * 1000;
    server.enqueue({ type: 'status', status: 503, headers: { 'retry-after': new Date(retryAt).toUTCString() } });

    await withRetry(sendItems, options({ random: () => 0 }));

    expect(server.arrivals).toHaveLength(2);
    expect(server.arrivals[1]?.wallAt).toBeGreaterThanOrEqual(retryAt - TIMER_SLACK_MS);
    expect(server.arrivals[1]?.wallAt).toBeLessThan(retryAt + LOADED_MACHINE_SLACK_MS);
  });

  it('sends a 400 exactly once', async () => {
    server.enqueue({ type: 'status', status: 400, body: { message: 'Property "emial" does not exist' } });

    const error = await capture(() => withRetry(sendItems, options()));

    expect(error).toBeInstanceOf(ProviderRequestError);
    expect((error as ProviderRequestError).providerStatus).toBe(400);
    expect(server.arrivals).toHaveLength(1);
  });

  it('retries a connection reset', async () => {
    server.enqueue({ type: 'reset' });
    const events: RetryAttemptEvent[] = [];

    const response = await withRetry(sendItems, options({ onAttempt: (event) => events.push(event) }));

    expect(response.status).toBe(200);
    expect(server.arrivals).toHaveLength(2);
    expect(events[0]).toMatchObject({ attempt: 1, outcome: 'retryable', errorCode: 'PROVIDER_UNREACHABLE', willRetry: true, waitMs: 100 });
    expect(events[0]?.status).toBeUndefined();
    expect(server.gaps()[0]).toBeGreaterThanOrEqual(100 - TIMER_SLACK_MS);
  });

  it('retries a timed-out slow response', async () => {
    server.enqueue({ type: 'slow', delayMs: 1000 });
    const events: RetryAttemptEvent[] = [];

    const response = await withRetry(sendItems, options({ policy: { baseDelayMs: 50 }, onAttempt: (event) => events.push(event) }));

    expect(response.status).toBe(200);
    expect(server.arrivals).toHaveLength(2);
    expect(events[0]?.errorCode).toBe('PROVIDER_TIMEOUT');
    // The client gives up after its 300 ms timeout, then waits 50 ms.
    expect(server.gaps()[0]).toBeGreaterThanOrEqual(350 - TIMER_SLACK_MS);
    expect(server.gaps()[0]).toBeLessThan(1000);
  });

  it('retries a THROTTLED 200 body', async () => {
    const policy: RetryPolicy = {
      baseDelayMs: 100,
      bodyRules: [{ when: { bodyPath: 'errors.0.extensions.code', equals: 'THROTTLED' }, outcome: 'rateLimited' }],
    };
    server.enqueue({ type: 'status', status: 200, body: { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }] } });
    server.setFallback({ type: 'status', status: 200, body: { data: { items: [] } } });

    const response = await withRetry(sendItems, options({ policy }));

    expect(response.body).toEqual({ data: { items: [] } });
    expect(server.arrivals).toHaveLength(2);
    expect(server.gaps()[0]).toBeGreaterThanOrEqual(100 - TIMER_SLACK_MS);
  });

  it('gives up with a dead-letter record', async () => {
    server.setFallback({ type: 'status', status: 503, body: { message: 'Service unavailable' } });
    const started = Date.now();

    const error = await capture(() => withRetry(sendItems, options({ policy: { maxAttempts: 2, baseDelayMs: 20 } })));

    expect(error.code).toBe('PROVIDER_RETRIES_EXHAUSTED');
    expect(server.arrivals).toHaveLength(3);
    const details = error.details as Record<string, any>;
    expect(details.attempts.map((attempt: any) => attempt.status)).toEqual([503, 503, 503]);
    expect(details.attempts.map((attempt: any) => attempt.requestId)).toEqual(server.arrivals.map((arrival) => arrival.requestId));
    expect(details.attempts.map((attempt: any) => attempt.waitMs)).toEqual([20, 40, undefined]);
    expect(details.lastRequestId).toBe('req-3');
    expect(details.lastErrorCode).toBe('PROVIDER_REQUEST_FAILED');
    expect(Date.parse(details.attempts[0].startedAt)).toBeGreaterThanOrEqual(started - 1);
    expect(JSON.stringify(details)).not.toContain(API_KEY);
    expect(error.message).toContain('failed on all 3 attempts');
  });

  it('stops when the run budget is spent', async () => {
    const budget = createRetryBudget(2);
    server.enqueue({ type: 'status', status: 503 }, { type: 'status', status: 503 });
    const policy = { baseDelayMs: 10 };

    const first = await withRetry(sendItems, options({ policy, budget }));
    server.enqueue({ type: 'status', status: 503 });
    const error = await capture(() => withRetry(sendItems, options({ policy, budget })));

    expect(first.status).toBe(200);
    expect(error.code).toBe('PROVIDER_RETRIES_EXHAUSTED');
    expect(error.details.reason).toBe('budgetSpent');
    expect(server.arrivals).toHaveLength(4);
  });

  it('stops waiting when aborted', async () => {
    server.enqueue({ type: 'status', status: 503, headers: { 'retry-after': '5' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();

    const error = await capture(() => withRetry(sendItems, options({ signal: controller.signal })));

    expect(error.code).toBe('REQUEST_ABORTED');
    expect(performance.now() - started).toBeLessThan(100 + LOADED_MACHINE_SLACK_MS);
    expect(server.arrivals).toHaveLength(1);
  });
});

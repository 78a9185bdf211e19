import { Writable } from 'node:stream';
import type { RetryPolicy } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { LumioError } from '../../errors/index.js';
import type { HttpResponse } from '../../http/index.js';
import { createLogger } from '../../observability/index.js';
import { ProviderRequestError } from '../../runtime/provider-request-error.js';
import { createRetryBudget, type RetryBudget } from './retry-budget.js';
import { createInMemoryRetryMetrics } from './retry-metrics.js';
import { withRetry, type RetryAttemptEvent, type RetryOptions } from './with-retry.js';

type Step = HttpResponse | Error;

function buildResponse(status: number, body: unknown = {}, headers: Record<string, string> = {}): HttpResponse {
  const response: HttpResponse = { status, headers, body, rawBody: JSON.stringify(body), durationMs: 1, url: 'https://api.example.test/items' };
  if (headers['x-request-id']) response.requestId = headers['x-request-id'];
  return response;
}

/** Runs withRetry over scripted attempt results, repeating the last step. Sleeps are recorded, not waited. */
function harness(steps: Step[], overrides: Partial<RetryOptions> = {}) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const waits: number[] = [];
  const attempts: number[] = [];
  const events: RetryAttemptEvent[] = [];
  const metrics = createInMemoryRetryMetrics();
  const options: RetryOptions = {
    policy: { baseDelayMs: 100, maxDelayMs: 1000 },
    random: () => 1,
    sleep: async (ms) => {
      waits.push(ms);
    },
    logger: createLogger({ level: 'debug', destination }),
    context: { connector: 'Test API', connectionId: 'conn_1', operation: 'items.list' },
    metrics,
    onAttempt: (event) => events.push(event),
    ...overrides,
  };
  const run = () =>
    withRetry(async (attempt) => {
      attempts.push(attempt);
      const step = steps[Math.min(attempt, steps.length) - 1] as Step;
      if (step instanceof Error) throw step;
      return step;
    }, options);
  const logs = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { run, waits, attempts, events, metrics, logs };
}

async function captureError(action: () => Promise<unknown>): Promise<LumioError> {
  try {
    await action();
  } catch (error) {
    return error as LumioError;
  }
  throw new Error('expected the action to fail');
}

function providerError(status: number, body: unknown = {}, headers: Record<string, string> = {}): ProviderRequestError {
  return new ProviderRequestError({
    connector: 'Test API',
    method: 'GET',
    target: 'https://api.example.test/items',
    response: buildResponse(status, body, headers),
    secrets: [],
  });
}

const unreachable = () =>
  new LumioError('PROVIDER_UNREACHABLE', 'The request failed before a response arrived (ECONNRESET).', {
    status: 502,
    fault: 'provider',
    details: { errorCode: 'ECONNRESET' },
  });

describe('withRetry', () => {
  it('retries until success with backoff', async () => {
    const { run, waits, attempts, metrics, logs } = harness([buildResponse(503), buildResponse(502), buildResponse(200, { ok: true })]);

    const response = await run();

    expect(response.status).toBe(200);
    expect(attempts).toEqual([1, 2, 3]);
    expect(waits).toEqual([100, 200]);
    expect(metrics.count('attempt', { outcome: 'retryable' })).toBe(2);
    expect(metrics.count('attempt', { outcome: 'success' })).toBe(1);
    expect(metrics.count('successAfterRetry', { connector: 'Test API' })).toBe(1);
    const retryLines = logs().filter((line) => line.msg === 'retrying provider request');
    expect(retryLines).toHaveLength(2);
    expect(retryLines[0]).toMatchObject({ level: 30, connector: 'Test API', connectionId: 'conn_1', operation: 'items.list', attempt: 1, status: 503, waitMs: 100 });
  });

  it('retries thrown network errors', async () => {
    const { run, attempts } = harness([unreachable(), buildResponse(200)]);
    expect((await run()).status).toBe(200);
    expect(attempts).toEqual([1, 2]);
  });

  it('retries a throttled 200 body', async () => {
    const policy: RetryPolicy = { baseDelayMs: 10, bodyRules: [{ when: { bodyPath: 'errors.0.extensions.code', equals: 'THROTTLED' }, outcome: 'rateLimited' }] };
    const throttled = buildResponse(200, { errors: [{ extensions: { code: 'THROTTLED' } }] });
    const { run, attempts, events } = harness([throttled, buildResponse(200, { data: 1 })], { policy });

    const response = await run();

    expect(response.body).toEqual({ data: 1 });
    expect(attempts).toEqual([1, 2]);
    expect(events.map((event) => [event.outcome, event.willRetry])).toEqual([
      ['rateLimited', true],
      ['success', false],
    ]);
    expect(events[0]?.response).toBe(throttled);
  });

  it('honours the Retry-After header', async () => {
    const { run, waits } = harness([buildResponse(429, {}, { 'retry-after': '2' }), buildResponse(200)]);
    await run();
    expect(waits).toEqual([2000]);
  });

  it('logs a capped wait header', async () => {
    const { run, waits, logs } = harness([buildResponse(429, {}, { 'retry-after': '3600' }), buildResponse(200)], { maxHeaderDelayMs: 5000 });
    await run();
    expect(waits).toEqual([5000]);
    const line = logs().find((entry) => entry.waitCapped === true);
    expect(line).toMatchObject({ waitMs: 5000, requestedWaitMs: 3_600_000, waitSource: 'header' });
  });

  it('returns a 400 without retrying', async () => {
    const { run, attempts, waits } = harness([buildResponse(400, { message: 'bad' }), buildResponse(200)]);
    expect((await run()).status).toBe(400);
    expect(attempts).toEqual([1]);
    expect(waits).toEqual([]);
  });

  it('raises a fatal error unchanged', async () => {
    const error = providerError(404);
    const { run, attempts } = harness([error, buildResponse(200)]);
    expect(await captureError(run)).toBe(error);
    expect(attempts).toEqual([1]);
  });

  it('gives up after maxAttempts', async () => {
    const failing = providerError(503, { message: 'down' }, { 'x-request-id': 'req-9', authorization: 'Bearer secret-token' });
    const { run, attempts, waits, metrics, logs } = harness([failing], { policy: { maxAttempts: 2, baseDelayMs: 100 } });

    const error = await captureError(run);

    expect(error.code).toBe('PROVIDER_RETRIES_EXHAUSTED');
    expect(error.fault).toBe('provider');
    expect(error.cause).toBe(failing);
    expect(error.message).toContain('Test API request "items.list" failed on all 3 attempts');
    expect(error.message).toContain('HTTP 503 (request id req-9)');
    expect(attempts).toEqual([1, 2, 3]);
    expect(waits).toEqual([100, 200]);
    const details = error.details as Record<string, any>;
    expect(details).toMatchObject({
      connector: 'Test API',
      connectionId: 'conn_1',
      operation: 'items.list',
      reason: 'maxAttempts',
      maxAttempts: 2,
      lastStatus: 503,
      lastErrorCode: 'PROVIDER_REQUEST_FAILED',
      lastRequestId: 'req-9',
    });
    expect(details.attempts.map((attempt: any) => [attempt.attempt, attempt.status, attempt.waitMs])).toEqual([
      [1, 503, 100],
      [2, 503, 200],
      [3, 503, undefined],
    ]);
    expect(Date.parse(details.attempts[0].startedAt)).not.toBeNaN();
    expect(JSON.stringify(details)).not.toContain('secret-token');
    expect(metrics.count('giveUp', { outcome: 'retryable' })).toBe(1);
    expect(logs().filter((line) => line.level === 40 && line.msg === 'gave up retrying provider request')).toHaveLength(1);
  });

  it('records the provider error code', async () => {
    const policy: RetryPolicy = { maxAttempts: 1, bodyRules: [{ when: { bodyPath: 'errors.0.extensions.code', equals: 'THROTTLED' }, outcome: 'rateLimited' }] };
    const { run } = harness([buildResponse(200, { errors: [{ extensions: { code: 'THROTTLED' } }] })], { policy });
    const error = await captureError(run);
    expect(error.code).toBe('PROVIDER_RETRIES_EXHAUSTED');
    expect(error.details.lastProviderErrorCode).toBe('THROTTLED');
  });

  it('stops when the budget is spent', async () => {
    const budget: RetryBudget = createRetryBudget(3);
    const first = harness([buildResponse(503), buildResponse(503), buildResponse(200)], { budget });
    const second = harness([buildResponse(503)], { budget });

    await first.run();
    const error = await captureError(second.run);

    expect(budget.used).toBe(3);
    expect(budget.remaining).toBe(0);
    expect(second.attempts).toEqual([1, 2]);
    expect(error.code).toBe('PROVIDER_RETRIES_EXHAUSTED');
    expect(error.details.reason).toBe('budgetSpent');
    expect(error.details.budget).toEqual({ max: 3, used: 3 });
    expect(error.message).toContain("run's retry budget of 3 retries is spent");
  });

  it('aborts during the sleep', async () => {
    const controller = new AbortController();
    const { run, attempts } = harness([buildResponse(503)], {
      policy: { baseDelayMs: 5000 },
      signal: controller.signal,
      sleep: undefined,
    });
    setTimeout(() => controller.abort(new Error('run cancelled')), 20);
    const started = performance.now();

    const error = await captureError(run);

    expect(error.code).toBe('REQUEST_ABORTED');
    expect(error.message).toContain('after 1 attempt, while waiting to retry');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(attempts).toEqual([1]);
  });

  it('does not start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { run, attempts } = harness([buildResponse(200)], { signal: controller.signal });
    expect((await captureError(run)).code).toBe('REQUEST_ABORTED');
    expect(attempts).toEqual([]);
  });

  it('refreshes once on 401', async () => {
    let refreshes = 0;
    const onAuthExpired = async () => {
      refreshes += 1;
      return true;
    };
    const fixed = harness([buildResponse(401), buildResponse(200)], { onAuthExpired });
    expect((await fixed.run()).status).toBe(200);
    expect(fixed.attempts).toEqual([1, 2]);
    expect(fixed.waits).toEqual([]);

    const unfixed = harness([buildResponse(401)], { onAuthExpired });
    expect((await unfixed.run()).status).toBe(401);
    expect(unfixed.attempts).toEqual([1, 2]);
    expect(refreshes).toBe(2);
  });

  it('keeps 401 fatal without a new token', async () => {
    const declined = harness([buildResponse(401), buildResponse(200)], { onAuthExpired: async () => false });
    expect((await declined.run()).status).toBe(401);
    expect(declined.attempts).toEqual([1]);

    const noHook = harness([buildResponse(401), buildResponse(200)]);
    expect((await noHook.run()).status).toBe(401);
    expect(noHook.attempts).toEqual([1]);
  });

  it('refreshes outside maxAttempts and budget', async () => {
    const budget = createRetryBudget(0);
    const { run, attempts } = harness([buildResponse(401), buildResponse(200)], { budget, policy: { maxAttempts: 0 }, onAuthExpired: async () => true });
    expect((await run()).status).toBe(200);
    expect(attempts).toEqual([1, 2]);
    expect(budget.used).toBe(0);
  });

  it('raises a fatal body rule', async () => {
    const policy: RetryPolicy = { bodyRules: [{ when: { bodyPath: 'error.code', equals: 'QUOTA_EXCEEDED' }, outcome: 'fatal' }] };
    const { run, attempts } = harness([buildResponse(200, { error: { code: 'QUOTA_EXCEEDED' } }, { 'x-request-id': 'req-2' })], { policy });

    const error = await captureError(run);

    expect(error.code).toBe('PROVIDER_REQUEST_FAILED');
    expect(error.message).toContain('"error.code" = "QUOTA_EXCEEDED"');
    expect(error.details).toMatchObject({ providerStatus: 200, providerErrorCode: 'QUOTA_EXCEEDED', requestId: 'req-2' });
    expect(attempts).toEqual([1]);
  });

  it('raises an auth body rule after refresh', async () => {
    const policy: RetryPolicy = { bodyRules: [{ when: { bodyPath: 'error', equals: 'invalid_session' }, outcome: 'authExpired' }] };
    const { run, attempts } = harness([buildResponse(200, { error: 'invalid_session' })], { policy, onAuthExpired: async () => true });
    const error = await captureError(run);
    expect(error.code).toBe('PROVIDER_AUTH_FAILED');
    expect(attempts).toEqual([1, 2]);
  });
});

describe('createRetryBudget', () => {
  it('rejects invalid maximums', () => {
    for (const max of [-1, 1.5, Number.NaN]) {
      expect(() => createRetryBudget(max)).toThrow(/not valid/);
    }
  });

  it('takes until spent', () => {
    const budget = createRetryBudget(2);
    expect([budget.tryTake(), budget.tryTake(), budget.tryTake()]).toEqual([true, true, false]);
    expect(budget.used).toBe(2);
  });
});

import { setTimeout as delay } from 'node:timers/promises';
import type { RetryPolicy } from '@lumio/plugin-sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LumioError } from '../../platform/src/errors/index.js';
import { createHttpClient, describeUrl, type HttpClient, type HttpResponse } from '../../platform/src/http/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { ProviderRequestError } from '../../platform/src/runtime/index.js';
import {
  createBreakerRegistry,
  createInMemoryBreakerMetrics,
  type BreakerRegistry,
  type InMemoryBreakerMetrics,
} from '../../platform/src/services/circuit-breaker/index.js';
import { withRetry } from '../../platform/src/services/retry/index.js';
import { startFaultServer, type FaultServer } from './retry-fault-server.js';

const KEY = { connectionId: 'conn_1', group: 'crm' };
const LABELS = { connector: 'Test API' };
const RESET_MS = 400;
const TIMER_SLACK_MS = 5;

describe('circuit breaker against a live server', () => {
  let server: FaultServer;
  let client: HttpClient;
  let registry: BreakerRegistry;
  let metrics: InMemoryBreakerMetrics;

  beforeAll(async () => {
    server = await startFaultServer();
    client = createHttpClient({ allowPrivateNetwork: true, userAgent: 'lumio-test', logger: silentLogger, timeoutMs: 1000 });
  });

  afterAll(async () => {
    await client.close();
    await server.close();
  });

  beforeEach(() => {
    server.reset();
    metrics = createInMemoryBreakerMetrics();
    registry = createBreakerRegistry({ logger: silentLogger, metrics, volumeThreshold: 4, resetTimeout: RESET_MS, rollingCountTimeout: 5000 });
  });

  afterEach(() => registry.shutdown());

  /** Sends GET /items the way the runtime does: a non-2xx status raises ProviderRequestError. */
  const sendItems = async (): Promise<HttpResponse> => {
    const url = new URL(`${server.url}/items`);
    const response = await client.send({ method: 'GET', url: url.href });
    if (response.status >= 200 && response.status < 300) return response;
    throw new ProviderRequestError({ connector: 'Test API', method: 'GET', target: describeUrl(url), response, secrets: [] });
  };

  /** The breaker wraps the retried request, so a request counts once, after its retries. */
  const request = (policy: RetryPolicy = { maxAttempts: 0 }) =>
    registry.run(KEY, LABELS, () =>
      withRetry(sendItems, { policy, random: () => 1, logger: silentLogger, context: { connector: 'Test API', connectionId: 'conn_1', operation: 'items.list' } }),
    );

  async function capture(promise: Promise<unknown>): Promise<LumioError> {
    try {
      await promise;
    } catch (error) {
      return error as LumioError;
    }
    throw new Error('expected the promise to reject');
  }

  async function waitForState(state: string, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (registry.snapshot('conn_1')[0]?.state !== state) {
      if (performance.now() > deadline) throw new Error(`breaker did not reach ${state} within ${timeoutMs} ms`);
      await delay(10);
    }
  }

  it('opens after exhausted retries', async () => {
    server.setFallback({ type: 'status', status: 503 });
    for (let index = 0; index < 4; index += 1) {
      expect((await capture(request({ maxAttempts: 1, baseDelayMs: 10 }))).code).toBe('PROVIDER_RETRIES_EXHAUSTED');
    }
    expect(server.arrivals).toHaveLength(8);

    const error = await capture(request());

    expect(error.code).toBe('PROVIDER_CIRCUIT_OPEN');
    expect(error.message).toMatch(/^Test API is failing \(4 of 4 recent requests\); requests to it are paused until \d{4}-\d{2}-\d{2}T[\d:.]+Z,/);
    expect(server.arrivals).toHaveLength(8);
  });

  it('opens on connection resets', async () => {
    server.setFallback({ type: 'reset' });
    for (let index = 0; index < 4; index += 1) {
      const error = await capture(request());
      expect(error.code).toBe('PROVIDER_RETRIES_EXHAUSTED');
      expect(error.details.lastErrorCode).toBe('PROVIDER_UNREACHABLE');
    }

    expect((await capture(request())).code).toBe('PROVIDER_CIRCUIT_OPEN');
    expect(server.arrivals).toHaveLength(4);
  });

  it('lets one probe through, then closes', async () => {
    server.setFallback({ type: 'status', status: 503 });
    for (let index = 0; index < 4; index += 1) await capture(request());
    const nextProbeAt = Date.parse(registry.snapshot('conn_1')[0]?.nextProbeAt ?? '');
    expect((await capture(request())).details.nextProbeAt).toBe(new Date(nextProbeAt).toISOString());
    server.setFallback({ type: 'status', status: 200, body: { ok: true } });

    await waitForState('halfOpen', RESET_MS + 2000);
    const results = await Promise.allSettled([request(), request(), request()]);

    expect(server.arrivals).toHaveLength(5);
    expect(server.arrivals[4]?.wallAt).toBeGreaterThanOrEqual(nextProbeAt - TIMER_SLACK_MS);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    const rejections = results.filter((result) => result.status === 'rejected').map((result) => (result.reason as LumioError).code);
    expect(rejections).toEqual(['PROVIDER_CIRCUIT_OPEN', 'PROVIDER_CIRCUIT_OPEN']);
    expect(registry.snapshot('conn_1')[0]?.state).toBe('closed');

    for (let index = 0; index < 3; index += 1) expect((await request()).status).toBe(200);
    expect(server.arrivals).toHaveLength(8);
    expect(metrics.transitions().map((entry) => entry.to)).toEqual(['open', 'halfOpen', 'closed']);
  });

  it('reopens when the probe fails', async () => {
    server.setFallback({ type: 'status', status: 503 });
    for (let index = 0; index < 4; index += 1) await capture(request());

    await waitForState('halfOpen', RESET_MS + 2000);
    expect((await capture(request())).details.lastStatus).toBe(503);
    const error = await capture(request());

    expect(server.arrivals).toHaveLength(5);
    expect(error.code).toBe('PROVIDER_CIRCUIT_OPEN');
    expect(error.message).toContain('the last probe request failed');
    expect(registry.snapshot('conn_1')[0]?.state).toBe('open');
  });

  it('stays closed on caller errors', async () => {
    server.setFallback({ type: 'status', status: 400, body: { message: 'invalid filter' } });

    for (let index = 0; index < 12; index += 1) {
      const error = await capture(request({ maxAttempts: 3, baseDelayMs: 10 }));
      expect((error as ProviderRequestError).providerStatus).toBe(400);
    }

    expect(server.arrivals).toHaveLength(12);
    expect(registry.snapshot('conn_1')[0]).toMatchObject({ state: 'closed', failures: 0, successes: 12 });
  });
});

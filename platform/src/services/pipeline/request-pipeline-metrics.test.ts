import type { ConnectorManifest } from '@lumio/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';

import { LumioError } from '../../errors/index.js';
import type { HttpRequest, HttpResponse } from '../../http/index.js';
import { silentLogger } from '../../observability/index.js';
import type { ConnectorContext } from '../../runtime/index.js';
import { createBreakerRegistry, type BreakerRegistry } from '../circuit-breaker/index.js';
import { createRateLimiter, type RateLimiter } from '../rate-limit/index.js';
import { createInMemoryRetryMetrics, type InMemoryRetryMetrics } from '../retry/index.js';
import type { ProviderSend } from './request-metrics.js';
import { createRequestPipeline } from './request-pipeline.js';

const REQUEST: HttpRequest = { method: 'GET', url: 'https://api.acme.example/items' };

type ErrorWithResponse = Error & { response: HttpResponse };

function responseWith(status: number): ErrorWithResponse {
  // The pipeline reads a response from an error's `response` property, as with ProviderRequestError.
  const response: HttpResponse = { status, headers: {}, body: null, rawBody: '', durationMs: 1, url: REQUEST.url };
  return Object.assign(new Error(`HTTP ${status}`), { response });
}

function buildContext(): ConnectorContext {
  // Only the fields the pipeline reads; retries wait 0 ms so the test needs no fake timers.
  const manifest = { id: 'acme-crm', name: 'Acme CRM', objects: {}, retry: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 } } as unknown as ConnectorManifest;
  return {
    manifest,
    config: {},
    credentials: {},
    authMethod: { type: 'bearer' } as ConnectorContext['authMethod'],
    http: undefined as unknown as ConnectorContext['http'],
    logger: silentLogger,
    connectionId: 'conn_metrics',
  };
}

describe('request pipeline metrics', () => {
  let limiter: RateLimiter;
  let breakers: BreakerRegistry;
  let sends: ProviderSend[];
  let retryMetrics: InMemoryRetryMetrics;

  function createPipeline() {
    limiter = createRateLimiter({ keyPrefix: 'metrics-test:', logger: silentLogger });
    breakers = createBreakerRegistry({ logger: silentLogger });
    sends = [];
    retryMetrics = createInMemoryRetryMetrics();
    return createRequestPipeline({ limiter, breakers, retryMetrics, requestMetrics: { sent: (send) => sends.push(send) } });
  }

  afterEach(async () => {
    await limiter.close();
    breakers.shutdown();
  });

  it('records every send of a retried request', async () => {
    const pipeline = createPipeline();
    const replies = [responseWith(503), responseWith(200)];
    const send = async () => {
      const reply = replies.shift() as ErrorWithResponse;
      if (reply.response.status !== 200) throw reply;
      return reply.response;
    };

    const response = await pipeline.run(buildContext(), REQUEST, { operation: 'list' }, send);

    expect(response.status).toBe(200);
    expect(sends.map(({ durationSeconds: _duration, ...rest }) => rest)).toEqual([
      { provider: 'acme-crm', method: 'GET', attempt: 1, status: '503', errorType: 'server_error' },
      { provider: 'acme-crm', method: 'GET', attempt: 2, status: '200' },
    ]);
    for (const sent of sends) {
      expect(sent.durationSeconds).toBeGreaterThanOrEqual(0);
      expect(sent.durationSeconds).toBeLessThan(5);
    }
  });

  it('labels retry metrics with the connector id', async () => {
    const pipeline = createPipeline();
    const send = async (): Promise<HttpResponse> => {
      throw responseWith(502);
    };

    await expect(pipeline.run(buildContext(), REQUEST, { operation: 'list' }, send)).rejects.toMatchObject({ code: 'PROVIDER_RETRIES_EXHAUSTED' });

    expect(retryMetrics.count('giveUp', { connector: 'acme-crm' })).toBe(1);
    expect(retryMetrics.count('giveUp', { connector: 'Acme CRM' })).toBe(0);
    expect(retryMetrics.count('attempt', { connector: 'acme-crm' })).toBe(3);
    expect(sends.map((sent) => sent.attempt)).toEqual([1, 2, 3]);
  });

  it('records a send that got no response', async () => {
    const pipeline = createPipeline();
    const timeout = new LumioError('PROVIDER_TIMEOUT', 'The request timed out after 10 ms.', { status: 504, fault: 'provider' });
    const send = async (): Promise<HttpResponse> => {
      throw timeout;
    };

    await expect(pipeline.run(buildContext(), REQUEST, { operation: 'list' }, send)).rejects.toMatchObject({ code: 'PROVIDER_RETRIES_EXHAUSTED' });

    expect(sends).toHaveLength(3);
    expect(sends.every((sent) => sent.status === 'timeout' && sent.errorType === 'timeout')).toBe(true);
  });
});

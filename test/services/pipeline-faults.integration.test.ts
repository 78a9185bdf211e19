// Fault timelines of the shared request pipeline (limiter, retry, breaker, cache) around
// HubSpot `contacts.list` requests, read from the HubSpot simulator's own request log.
import { setTimeout as delay } from 'node:timers/promises';

import type { ConnectorManifest, RetryPolicy } from '@lumio/plugin-sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import type { LumioError } from '../../platform/src/errors/index.js';
import { createHttpClient, type HttpClient, type HttpResponse } from '../../platform/src/http/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { executeRequest, ProviderRequestError } from '../../platform/src/runtime/index.js';
import { createResponseCache, type ResponseCache } from '../../platform/src/services/cache/index.js';
import { createBreakerRegistry, type BreakerRegistry, type BreakerRegistryOptions } from '../../platform/src/services/circuit-breaker/index.js';
import { createRequestPipeline } from '../../platform/src/services/pipeline/index.js';
import { createRateLimiter, type RateLimiter } from '../../platform/src/services/rate-limit/index.js';
import { createHubSpotSimulator, type HubSpotSimulator, type LoggedRequest } from '../simulators/hubspot/index.js';
import { startHeaderProxy, type HeaderProxy } from './support/pipeline-header-proxy.js';
import { buildHubSpotContext, contactsList, createRunId, deriveTestAccountKey, withRetryOverrides } from './support/pipeline-hubspot.js';

const TOKEN = 'pipeline-fault-token';
const BASE_DELAY_MS = 50;
const CONTACTS_PATH = '/crm/v3/objects/contacts';
// Timers may fire a little early against Date.now() readings taken elsewhere, and the
// simulator logs whole milliseconds, so lower bounds allow this much slack.
const TIMER_SLACK_MS = 5;
// Upper bounds only catch a wait that is far too long, because a loaded machine adds delay.
const LOADED_MACHINE_SLACK_MS = 1500;
// Statuses the copies retry: the manifest's list plus 500, which the manifest leaves out.
const RETRYABLE_WITH_500 = [429, 500, 502, 503, 504];
const THROTTLED_RULE: RetryPolicy['bodyRules'] = [{ when: { status: 200, bodyPath: 'errors.0.errorCode', equals: 'THROTTLED' }, outcome: 'rateLimited' }];
const THROTTLED_BODY = { status: 'error', message: 'Too many requests', errors: [{ errorCode: 'THROTTLED' }] };

interface PipelineUnderTest {
  breakers: BreakerRegistry;
  connectionId: string;
  /** Sends one `contacts.list` request through `executeRequest` and the pipeline. */
  listContacts(): Promise<HttpResponse>;
}

interface OpenedServices {
  limiter: RateLimiter;
  breakers: BreakerRegistry;
  cache: ResponseCache;
}

describe('request pipeline against the HubSpot simulator', () => {
  let simulator: HubSpotSimulator;
  let simulatorUrl: string;
  let proxy: HeaderProxy;
  let http: HttpClient;
  let opened: OpenedServices[] = [];

  beforeAll(async () => {
    simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { contacts: 30 } });
    simulatorUrl = (await simulator.start()).url;
    proxy = await startHeaderProxy(simulatorUrl);
    http = createHttpClient({ allowPrivateNetwork: true, userAgent: 'lumio-test', logger: silentLogger, timeoutMs: 10_000 });
  });

  afterAll(async () => {
    await http?.close();
    await proxy?.close();
    await simulator?.close();
  });

  beforeEach(() => {
    simulator.reset();
    proxy.reset();
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    for (const services of opened) {
      await services.limiter.close();
      services.breakers.shutdown();
      await services.cache.close();
    }
    opened = [];
  });

  /**
   * Builds in-process services and a context for one fresh HubSpot connection, so no
   * budget pause or breaker state carries over between tests.
   */
  function createPipelineUnderTest(manifest: ConnectorManifest, options: { baseUrl?: string; breakers?: Partial<BreakerRegistryOptions> } = {}): PipelineUnderTest {
    const limiter = createRateLimiter({ keyPrefix: 'pipeline-test:', logger: silentLogger });
    const breakers = createBreakerRegistry({ logger: silentLogger, ...options.breakers });
    const cache = createResponseCache({ keyPrefix: 'pipeline-test:', logger: silentLogger });
    opened.push({ limiter, breakers, cache });

    const runId = createRunId();
    const connectionId = `conn_${runId}`;
    const ctx = buildHubSpotContext({
      manifest,
      baseUrl: options.baseUrl ?? simulatorUrl,
      token: TOKEN,
      http,
      logger: silentLogger,
      connectionId,
      accountKey: deriveTestAccountKey(TOKEN, runId),
      services: createRequestPipeline({ limiter, breakers, cache }),
    });
    const list = contactsList(manifest);
    return { breakers, connectionId, listContacts: () => executeRequest(ctx, list, {}, { operation: 'list', object: 'contacts' }) };
  }

  function contactRequests(): LoggedRequest[] {
    return simulator.requests.entries.filter((entry) => entry.path === CONTACTS_PATH);
  }

  function statuses(): number[] {
    return contactRequests().map((entry) => entry.status);
  }

  /** Milliseconds between consecutive arrivals at the simulator. */
  function gaps(): number[] {
    const times = contactRequests().map((entry) => entry.time);
    return times.slice(1).map((time, index) => time - times[index]!);
  }

  async function capture(promise: Promise<unknown>): Promise<LumioError> {
    try {
      await promise;
    } catch (error) {
      return error as LumioError;
    }
    throw new Error('expected the request to fail');
  }

  function expectContactsPage(response: HttpResponse): void {
    expect(response.status).toBe(200);
    expect((response.body as { results: unknown[] }).results).toHaveLength(30);
  }

  // The simulator's rateLimitNext 429 carries HubSpot's body and quota headers but no
  // Retry-After, which the simulator does not reproduce. These tests inject HubSpot's 429
  // body without quota headers and add Retry-After through the proxy.
  it('waits Retry-After before retrying', async () => {
    const pipeline = createPipelineUnderTest(withRetryOverrides({ baseDelayMs: BASE_DELAY_MS }), { baseUrl: proxy.url });
    simulator.failNext(1, 429);
    proxy.addHeadersTo(429, { 'Retry-After': '1' }, 1);

    expectContactsPage(await pipeline.listContacts());

    expect(statuses()).toEqual([429, 200]);
    expect(gaps()[0]).toBeGreaterThanOrEqual(1000 - TIMER_SLACK_MS);
    expect(gaps()[0]).toBeLessThan(1000 + LOADED_MACHINE_SLACK_MS);
  });

  it('waits a longer Retry-After', async () => {
    // Two seconds separates the header's wait from the limiter's one-second pause after a 429 without one.
    const pipeline = createPipelineUnderTest(withRetryOverrides({ baseDelayMs: BASE_DELAY_MS }), { baseUrl: proxy.url });
    simulator.failNext(1, 429);
    proxy.addHeadersTo(429, { 'Retry-After': '2' }, 1);

    expectContactsPage(await pipeline.listContacts());

    expect(statuses()).toEqual([429, 200]);
    expect(gaps()[0]).toBeGreaterThanOrEqual(2000 - TIMER_SLACK_MS);
    expect(gaps()[0]).toBeLessThan(2000 + LOADED_MACHINE_SLACK_MS);
  });

  it('pauses a second without Retry-After', async () => {
    // The retry's own backoff is 50 ms at most here. The limiter pauses the budget for its
    // initial backoff (1000 ms by default) after a 429 without a wait header.
    const pipeline = createPipelineUnderTest(withRetryOverrides({ baseDelayMs: BASE_DELAY_MS }));
    simulator.failNext(1, 429);

    expectContactsPage(await pipeline.listContacts());

    expect(statuses()).toEqual([429, 200]);
    expect(gaps()[0]).toBeGreaterThanOrEqual(1000 - TIMER_SLACK_MS);
    expect(gaps()[0]).toBeLessThan(1000 + LOADED_MACHINE_SLACK_MS);
  });

  it('HubSpot 429 waits one interval', async () => {
    // The simulator's HubSpot 429 reports X-HubSpot-RateLimit-Remaining 0 and an interval of
    // 10,000 ms, so the limiter fills the window with placeholders that expire one interval later.
    const pipeline = createPipelineUnderTest(withRetryOverrides({ baseDelayMs: BASE_DELAY_MS }));
    simulator.rateLimitNext(1);

    expectContactsPage(await pipeline.listContacts());

    expect(statuses()).toEqual([429, 200]);
    expect(gaps()[0]).toBeGreaterThanOrEqual(10_000 - TIMER_SLACK_MS);
    expect(gaps()[0]).toBeLessThan(10_000 + LOADED_MACHINE_SLACK_MS);
  }, 30_000);

  it('backs off between 500s and 503s', async () => {
    // Full jitter draws each wait from [0, cap], so a draw of 1 makes every wait its cap.
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const pipeline = createPipelineUnderTest(withRetryOverrides({ baseDelayMs: BASE_DELAY_MS, retryableStatuses: RETRYABLE_WITH_500 }));
    simulator.failNext(2, 500);
    simulator.failNext(2, 503);

    expectContactsPage(await pipeline.listContacts());

    expect(statuses()).toEqual([500, 500, 503, 503, 200]);
    const observed = gaps();
    for (const [index, gap] of observed.entries()) {
      const capMs = BASE_DELAY_MS * 2 ** index;
      expect(gap, `gap ${index + 1} of ${JSON.stringify(observed)}`).toBeGreaterThanOrEqual(capMs - TIMER_SLACK_MS);
      expect(gap, `gap ${index + 1} of ${JSON.stringify(observed)}`).toBeLessThan(capMs + LOADED_MACHINE_SLACK_MS);
      if (index > 0) expect(gap, `gap ${index + 1} of ${JSON.stringify(observed)}`).toBeGreaterThan(observed[index - 1]!);
    }
  });

  it('keeps jittered gaps under caps', async () => {
    const pipeline = createPipelineUnderTest(withRetryOverrides({ baseDelayMs: BASE_DELAY_MS, retryableStatuses: RETRYABLE_WITH_500 }));
    simulator.failNext(4, 503);

    expectContactsPage(await pipeline.listContacts());

    expect(statuses()).toEqual([503, 503, 503, 503, 200]);
    // The upper slack is smaller here: a wait near the next cap would show jitter that ignores the cap.
    for (const [index, gap] of gaps().entries()) expect(gap, `gap ${index + 1}`).toBeLessThan(BASE_DELAY_MS * 2 ** index + 250);
  });

  it('manifest statuses send a 500 once', async () => {
    // The HubSpot manifest lists 429, 502, 503 and 504 as retryable, not 500.
    const pipeline = createPipelineUnderTest(withRetryOverrides({ baseDelayMs: BASE_DELAY_MS }));
    simulator.failNext(1, 500);

    const error = await capture(pipeline.listContacts());

    expect(error).toBeInstanceOf(ProviderRequestError);
    expect(error.code).toBe('PROVIDER_REQUEST_FAILED');
    expect((error as ProviderRequestError).providerStatus).toBe(500);
    await delay(4 * BASE_DELAY_MS);
    expect(statuses()).toEqual([500]);
  });

  it('waits for a slow response', async () => {
    const pipeline = createPipelineUnderTest(withRetryOverrides({ baseDelayMs: BASE_DELAY_MS }));
    simulator.setResponseDelay(1500, 1);

    const started = performance.now();
    expectContactsPage(await pipeline.listContacts());
    const elapsedMs = performance.now() - started;

    expect(statuses()).toEqual([200]);
    expect(contactRequests()[0]!.durationMs).toBeGreaterThanOrEqual(1500 - TIMER_SLACK_MS);
    expect(elapsedMs).toBeGreaterThanOrEqual(1500 - TIMER_SLACK_MS);
  });

  it('sends a 400 exactly once', async () => {
    const pipeline = createPipelineUnderTest(withRetryOverrides({ baseDelayMs: BASE_DELAY_MS }));
    simulator.failNext(1, 400);

    const error = await capture(pipeline.listContacts());

    expect(error).toBeInstanceOf(ProviderRequestError);
    expect(error.code).toBe('PROVIDER_REQUEST_FAILED');
    expect((error as ProviderRequestError).providerStatus).toBe(400);
    // Long enough for two retries at the copy's backoff, had any been planned.
    await delay(4 * BASE_DELAY_MS);
    expect(statuses()).toEqual([400]);
  });

  it('retries THROTTLED 200 under a body rule', async () => {
    const pipeline = createPipelineUnderTest(withRetryOverrides({ baseDelayMs: BASE_DELAY_MS, bodyRules: THROTTLED_RULE }));
    simulator.failNext(1, 200, THROTTLED_BODY);

    expectContactsPage(await pipeline.listContacts());

    expect(statuses()).toEqual([200, 200]);
    // A "rateLimited" rule pauses the budget like a 429 without Retry-After (1000 ms).
    expect(gaps()[0]).toBeGreaterThanOrEqual(1000 - TIMER_SLACK_MS);
  });

  it('returns THROTTLED 200 without a rule', async () => {
    const pipeline = createPipelineUnderTest(withRetryOverrides({ baseDelayMs: BASE_DELAY_MS }));
    simulator.failNext(1, 200, THROTTLED_BODY);

    const response = await pipeline.listContacts();

    expect(response.status).toBe(200);
    expect(response.body).toEqual(THROTTLED_BODY);
    await delay(4 * BASE_DELAY_MS);
    expect(statuses()).toEqual([200]);
  });

  it('opens, fails fast, probes, closes', async () => {
    const resetTimeout = 1000;
    const pipeline = createPipelineUnderTest(withRetryOverrides({ baseDelayMs: BASE_DELAY_MS, maxAttempts: 1 }), {
      breakers: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeout, rollingCountTimeout: 10_000 },
    });
    simulator.failNext(6, 503);

    // Three requests of two attempts each: every one exhausts its retries.
    for (let index = 0; index < 3; index += 1) {
      expect((await capture(pipeline.listContacts())).code).toBe('PROVIDER_RETRIES_EXHAUSTED');
    }
    expect(statuses()).toEqual([503, 503, 503, 503, 503, 503]);
    expect(pipeline.breakers.snapshot(pipeline.connectionId)[0]?.state).toBe('open');

    const started = performance.now();
    const rejected = await capture(pipeline.listContacts());
    const rejectMs = performance.now() - started;
    expect(rejected.code).toBe('PROVIDER_CIRCUIT_OPEN');
    expect(rejected.details).toMatchObject({ connectionId: pipeline.connectionId, state: 'open' });
    expect(rejectMs).toBeLessThan(100);
    expect(contactRequests()).toHaveLength(6);

    const nextProbeAt = Date.parse(String(rejected.details?.nextProbeAt));
    await delay(Math.max(0, nextProbeAt - Date.now()) + 50);

    // The probe is held for 300 ms, so the second request arrives while the probe is in flight.
    simulator.setResponseDelay(300, 1);
    const probe = pipeline.listContacts();
    await delay(50);
    const duringProbe = await capture(pipeline.listContacts());
    expect(duringProbe.code).toBe('PROVIDER_CIRCUIT_OPEN');
    expect(duringProbe.details).toMatchObject({ state: 'halfOpen' });
    expectContactsPage(await probe);
    expect(contactRequests()).toHaveLength(7);
    expect(pipeline.breakers.snapshot(pipeline.connectionId)[0]?.state).toBe('closed');

    expectContactsPage(await pipeline.listContacts());
    expect(statuses()).toEqual([503, 503, 503, 503, 503, 503, 200, 200]);
  });

  it('400s leave the breaker closed', async () => {
    const pipeline = createPipelineUnderTest(withRetryOverrides({ baseDelayMs: BASE_DELAY_MS }), {
      breakers: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeout: 60_000 },
    });
    simulator.failNext(5, 400);

    for (let index = 0; index < 5; index += 1) {
      expect((await capture(pipeline.listContacts())).code).toBe('PROVIDER_REQUEST_FAILED');
    }

    expect(pipeline.breakers.snapshot(pipeline.connectionId)[0]?.state).toBe('closed');
    expectContactsPage(await pipeline.listContacts());
    expect(statuses()).toEqual([400, 400, 400, 400, 400, 200]);
  });
});

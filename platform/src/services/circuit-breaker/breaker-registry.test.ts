import { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LumioError } from '../../errors/index.js';
import type { HttpResponse } from '../../http/index.js';
import { createLogger } from '../../observability/index.js';
import { ProviderRequestError } from '../../runtime/provider-request-error.js';
import { createInMemoryBreakerMetrics } from './breaker-metrics.js';
import { createBreakerRegistry, type BreakerRegistry, type BreakerRegistryOptions } from './breaker-registry.js';

const KEY = { connectionId: 'conn_1', group: 'crm' };
const LABELS = { connector: 'HubSpot' };
const RESET_MS = 150;

function providerError(status: number): ProviderRequestError {
  const response: HttpResponse = { status, headers: {}, body: {}, rawBody: '{}', durationMs: 1, url: 'https://api.example.test/' };
  return new ProviderRequestError({ connector: 'HubSpot', method: 'GET', target: 'https://api.example.test/', response, secrets: [] });
}

const registries: BreakerRegistry[] = [];

function setup(overrides: Partial<BreakerRegistryOptions> = {}) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const metrics = createInMemoryBreakerMetrics();
  const registry = createBreakerRegistry({
    logger: createLogger({ level: 'debug', destination }),
    metrics,
    volumeThreshold: 4,
    resetTimeout: RESET_MS,
    rollingCountTimeout: 5000,
    ...overrides,
  });
  registries.push(registry);
  const logs = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { registry, metrics, logs };
}

async function capture(promise: Promise<unknown>): Promise<LumioError> {
  try {
    await promise;
  } catch (error) {
    return error as LumioError;
  }
  throw new Error('expected the promise to reject');
}

async function failTimes(registry: BreakerRegistry, count: number, makeError: () => Error = () => providerError(503)): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    await capture(registry.run(KEY, LABELS, async () => Promise.reject(makeError())));
  }
}

afterEach(() => {
  for (const registry of registries.splice(0)) registry.shutdown();
  vi.useRealTimers();
});

describe('createBreakerRegistry', () => {
  it('passes results and errors through', async () => {
    const { registry } = setup();
    const failure = providerError(503);

    expect(await registry.run(KEY, LABELS, async () => 'ok')).toBe('ok');
    expect(await capture(registry.run(KEY, LABELS, async () => Promise.reject(failure)))).toBe(failure);
  });

  it('opens after the threshold', async () => {
    const { registry, logs } = setup();
    await failTimes(registry, 4);
    let called = false;

    const error = await capture(
      registry.run(KEY, LABELS, async () => {
        called = true;
      }),
    );

    expect(called).toBe(false);
    expect(error.code).toBe('PROVIDER_CIRCUIT_OPEN');
    expect(error.status).toBe(503);
    expect(error.fault).toBe('provider');
    const [state] = registry.snapshot('conn_1');
    expect(state?.state).toBe('open');
    expect(error.details.nextProbeAt).toBe(state?.nextProbeAt);
    expect(Date.parse(state?.nextProbeAt ?? '') - Date.parse(state?.openedAt ?? '')).toBe(RESET_MS);
    expect(error.message).toBe(
      `HubSpot is failing (4 of 4 recent requests); requests to it are paused until ${state?.nextProbeAt}, when one probe request will be let through.`,
    );
    const opened = logs().find((line) => line.msg === 'circuit breaker opened; requests to the provider are paused');
    expect(opened).toMatchObject({ level: 40, connector: 'HubSpot', connectionId: 'conn_1', group: 'crm', failures: 4, requests: 4 });
  });

  it('reports each breaker state', async () => {
    const { registry } = setup();
    const unused = registry.stateOf({ connectionId: 'conn_unused', group: 'crm' });

    await failTimes(registry, 4);
    const afterFailures = registry.stateOf(KEY);
    await delay(RESET_MS + 20);
    await registry.run(KEY, LABELS, async () => 'ok');

    expect(unused).toBe('closed');
    expect(afterFailures).toBe('open');
    expect(registry.stateOf(KEY)).toBe('closed');
    expect(registry.stateOf({ connectionId: KEY.connectionId, group: 'other' })).toBe('closed');
  });

  it('stays closed below the volume', async () => {
    const { registry } = setup();
    await failTimes(registry, 3);
    expect(registry.snapshot()[0]).toMatchObject({ state: 'closed', failures: 3 });
  });

  it('stays closed below the rate', async () => {
    const { registry } = setup();
    await failTimes(registry, 2);
    for (let index = 0; index < 3; index += 1) await registry.run(KEY, LABELS, async () => 'ok');
    await failTimes(registry, 1);

    // 3 of 6 is 50%, and opossum opens only above the threshold.
    expect(registry.snapshot()[0]).toMatchObject({ state: 'closed', failures: 3, successes: 3 });
  });

  it('ignores caller errors', async () => {
    const { registry } = setup();
    for (const status of [400, 401, 404, 422, 400, 404, 422, 400]) {
      const error = providerError(status);
      expect(await capture(registry.run(KEY, LABELS, async () => Promise.reject(error)))).toBe(error);
    }
    const aborted = new LumioError('REQUEST_ABORTED', 'The request was cancelled by the caller.', { status: 400, fault: 'caller' });
    await failTimes(registry, 2, () => aborted);

    expect(registry.snapshot()[0]).toMatchObject({ state: 'closed', failures: 0, successes: 10 });
  });

  it('lets exactly one probe through', async () => {
    const { registry, metrics, logs } = setup();
    await failTimes(registry, 4);
    await delay(RESET_MS + 50);
    expect(registry.snapshot()[0]?.state).toBe('halfOpen');

    let calls = 0;
    let releaseProbe: () => void = () => undefined;
    const probe = registry.run(KEY, LABELS, () => {
      calls += 1;
      return new Promise<string>((resolve) => {
        releaseProbe = () => resolve('probe ok');
      });
    });
    const others = [1, 2].map(() => capture(registry.run(KEY, LABELS, async () => (calls += 1))));
    const rejected = await Promise.all(others);
    releaseProbe();

    expect(await probe).toBe('probe ok');
    expect(calls).toBe(1);
    expect(rejected.map((error) => error.code)).toEqual(['PROVIDER_CIRCUIT_OPEN', 'PROVIDER_CIRCUIT_OPEN']);
    expect(rejected[0]?.message).toContain('one probe request is in flight');
    expect(registry.snapshot()[0]).toMatchObject({ state: 'closed' });
    expect(registry.snapshot()[0]?.nextProbeAt).toBeUndefined();
    expect(metrics.transitions().map((entry) => `${entry.from}>${entry.to}`)).toEqual(['closed>open', 'open>halfOpen', 'halfOpen>closed']);
    expect(metrics.stateOf(KEY)).toBe('closed');
    const levels = logs()
      .filter((line) => typeof line.msg === 'string' && (line.msg as string).startsWith('circuit breaker'))
      .map((line) => line.level);
    expect(levels).toEqual([40, 30, 30]);
  });

  it('reopens after a failed probe', async () => {
    const { registry, metrics } = setup();
    await failTimes(registry, 4);
    const firstProbeDue = Date.parse(registry.snapshot()[0]?.nextProbeAt ?? '');
    await delay(RESET_MS + 50);

    await failTimes(registry, 1);
    const error = await capture(registry.run(KEY, LABELS, async () => 'never'));

    expect(registry.snapshot()[0]?.state).toBe('open');
    expect(Date.parse(registry.snapshot()[0]?.nextProbeAt ?? '')).toBeGreaterThan(firstProbeDue);
    expect(error.message).toContain('HubSpot is failing (the last probe request failed)');
    expect(metrics.transitions().map((entry) => entry.to)).toEqual(['open', 'halfOpen', 'open']);
  });

  it('keeps breakers apart by key', async () => {
    const { registry } = setup();
    await failTimes(registry, 4);
    const otherGroup = { connectionId: 'conn_1', group: 'files' };
    const otherConnection = { connectionId: 'conn_2', group: 'crm' };

    expect(await registry.run(otherGroup, LABELS, async () => 'ok')).toBe('ok');
    expect(await registry.run(otherConnection, LABELS, async () => 'ok')).toBe('ok');
    expect(registry.snapshot('conn_1').map((entry) => [entry.group, entry.state])).toEqual([
      ['crm', 'open'],
      ['files', 'closed'],
    ]);
    expect(registry.snapshot('conn_2')).toHaveLength(1);
    expect(registry.snapshot()).toHaveLength(3);
  });

  it('forgets removed connections', async () => {
    const { registry } = setup();
    await failTimes(registry, 4);
    registry.remove('conn_1');

    expect(registry.snapshot()).toEqual([]);
    expect(await registry.run(KEY, LABELS, async () => 'fresh')).toBe('fresh');
  });

  it('rejects runs after shutdown', async () => {
    const { registry } = setup();
    registry.shutdown();
    const error = await capture(registry.run(KEY, LABELS, async () => 'never'));
    expect(error.code).toBe('CIRCUIT_BREAKER_SHUT_DOWN');
  });

  it('clears every timer on shutdown', async () => {
    vi.useFakeTimers();
    const { registry } = setup();
    expect(vi.getTimerCount()).toBe(0);

    await failTimes(registry, 4);
    await registry.run({ connectionId: 'conn_2', group: 'crm' }, LABELS, async () => 'ok');
    // The shared bucket rotation and the open breaker's reset timer.
    expect(vi.getTimerCount()).toBe(2);

    registry.shutdown();
    expect(vi.getTimerCount()).toBe(0);
  });
});

import type { ChildProcess } from 'node:child_process';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestPlatform, watchRun, type TestPlatform } from '../e2e/platform-harness.js';
import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { createTemporaryDatabase, type TemporaryDatabase } from '../store/temporary-database.js';
import { freePort, HAS_REDIS_SERVER, startRedis, stopRedis } from '../support/own-redis.js';

const TOKEN = 'health-token';

async function readHealth(url: string, path = '/health'): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}${path}`);
  return { status: response.status, body: await response.json() };
}

/** Sums every sample of a counter in the Prometheus text that `GET /metrics` returns. */
function sumCounter(text: string, name: string): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('health of a platform on SQLite', () => {
  let simulator: HubSpotSimulator;
  let database: TemporaryDatabase;
  let test: TestPlatform;

  beforeAll(async () => {
    simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { seed: 5, contacts: { count: 20, archivedCount: 0 } }, rateLimit: false });
    await simulator.start();
    database = await createTemporaryDatabase('sqlite');
    test = await startTestPlatform({ store: database.options });
  }, 60_000);

  afterAll(async () => {
    await test?.close();
    await database?.dispose();
    await simulator?.close();
  });

  it('reports unconnected connectors', async () => {
    const { status, body } = await readHealth(test.url);

    expect(status).toBe(200);
    expect(body.status).toBe('healthy');
    expect(body.checks).toEqual({ database: 'healthy', queue: 'healthy', integrations: { hubspot: 'not_connected', 'example-tasks': 'not_connected' } });
    expect(body.metrics.requests_total).toBe(0);
    expect(body.metrics.error_rate).toBe(0);
  });

  it('reports a synced connection and totals', async () => {
    const connect = await test.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: TOKEN }, config: { baseUrl: simulator.url, rateLimits: 'providerOnly' } });
    expect(connect.status, JSON.stringify(connect.body)).toBe(200);
    await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
    expect((await watchRun(test, 'hubspot')).final.lastRun.status).toBe('succeeded');

    const { body } = await readHealth(test.url);
    const metrics = await (await fetch(`${test.url}/metrics`, { headers: { authorization: `Bearer ${test.apiKey}` } })).text();

    expect(body.status).toBe('healthy');
    expect(body.checks.integrations.hubspot).toBe('healthy');
    expect(body.metrics.requests_total).toBeGreaterThan(0);
    expect(body.metrics.requests_total).toBe(sumCounter(metrics, 'integration_requests_total'));
    expect(body.metrics.errors_total).toBe(sumCounter(metrics, 'integration_errors_total'));
  });

  it('degrades with a degraded connection', async () => {
    const [connection] = await test.platform.store.connections.findAllByConnector('hubspot');
    await test.platform.store.connections.update(connection!.id, { health: { status: 'degraded', checkedAt: new Date().toISOString(), reason: 'PROVIDER_UNAVAILABLE' } });

    const { status, body } = await readHealth(test.url);

    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.checks.integrations.hubspot).toBe('degraded');
  });
});

describe.skipIf(!HAS_REDIS_SERVER)('health with Redis', () => {
  let port: number;
  let redis: ChildProcess;
  let database: TemporaryDatabase;
  let test: TestPlatform;

  beforeAll(async () => {
    // A Redis server of this test's own, so stopping it affects no other suite.
    port = await freePort();
    redis = await startRedis(port);
    database = await createTemporaryDatabase('sqlite');
    test = await startTestPlatform({ store: database.options, env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
  }, 60_000);

  afterAll(async () => {
    await test?.close();
    await database?.dispose();
    if (redis) await stopRedis(redis);
  }, 60_000);

  it('checks Redis and the queue on it', async () => {
    const { status, body } = await readHealth(test.url, '/health/ready');

    expect(status).toBe(200);
    expect(body.checks).toEqual({ database: 'healthy', redis: 'healthy', queue: 'healthy' });
  });

  it('answers 503 while Redis is down', async () => {
    await stopRedis(redis);

    const ready = await readHealth(test.url, '/health/ready');
    const full = await readHealth(test.url);

    expect(ready.status).toBe(503);
    expect(ready.body.checks.redis).toBe('unhealthy');
    expect(ready.body.checks.queue).toBe('unhealthy');
    expect(ready.body.checks.database).toBe('healthy');
    expect(full.status).toBe(503);
    expect(full.body.status).toBe('unhealthy');
  }, 30_000);

  it('recovers once Redis is back', async () => {
    // The platform closes cleanly only with Redis reachable, so the server comes back on the same port.
    redis = await startRedis(port);

    const deadline = Date.now() + 20_000;
    let ready = await readHealth(test.url, '/health/ready');
    while (ready.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      ready = await readHealth(test.url, '/health/ready');
    }

    expect(ready.status).toBe(200);
    expect(ready.body.checks.redis).toBe('healthy');
  }, 30_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { forEachDatabase } from '../store/databases.js';
import { startLoggedPlatform, type LoggedPlatform } from './logged-platform.js';

const TOKEN = 'debug-hubspot-token-0c94d1';
const SECOND_TOKEN = 'debug-second-token-77ab20';
/** pino's number for the `debug` level. */
const DEBUG_LEVEL = 20;

function base64Forms(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  return [bytes.toString('base64'), bytes.toString('base64url')];
}

function providerLines(test: LoggedPlatform): Record<string, any>[] {
  return test.logs.filter((line) => line.msg === 'provider request');
}

forEachDatabase((database) => {
  describe('debug logging of one connection', () => {
    let simulator: HubSpotSimulator;
    let test: LoggedPlatform;
    let connectionId: string;
    let secondId: string;

    beforeAll(async () => {
      simulator = createHubSpotSimulator({ tokens: [TOKEN, SECOND_TOKEN], seed: { seed: 21, contacts: { count: 20 } }, rateLimit: false });
      await simulator.start();
      test = await startLoggedPlatform(database.storeOptions());

      const config = { baseUrl: simulator.url, rateLimits: 'providerOnly' };
      const first = await test.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: TOKEN }, config });
      const second = await test.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: SECOND_TOKEN }, config, name: 'second' });
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      connectionId = first.body.connectionId;
      secondId = second.body.connectionId;
    }, 60_000);

    afterAll(async () => {
      await test?.close();
      await simulator?.close();
    });

    it('rejects bad settings and stores nothing', async () => {
      for (const [body, field] of [
        [{}, 'enabled'],
        [{ enabled: 'yes' }, 'enabled'],
        [{ enabled: true, duration: 0 }, 'duration'],
        [{ enabled: true, duration: 86_401 }, 'duration'],
        [{ enabled: true, duration: 1.5 }, 'duration'],
        [{ enabled: true, duration: '60' }, 'duration'],
        [{ enabled: true, level: 'loud' }, 'level'],
        [{ enabled: true, minutes: 5 }, 'minutes'],
      ] as const) {
        const reply = await test.call('POST', `/v1/integrations/${connectionId}/debug`, body);
        expect(reply.status, JSON.stringify(body)).toBe(400);
        // The OpenAPI request validator names fields as JSON pointers, the handler by name.
        expect(String(reply.body.field).replace(/^\//, ''), JSON.stringify(body)).toBe(field);
      }

      const state = await test.call('GET', `/v1/integrations/${connectionId}/debug`);
      expect(state.body.enabled).toBe(false);
      expect(await test.platform.store.connectionDebug.get(connectionId)).toBeNull();
    });

    it('logs provider requests of that connection only', async () => {
      const before = Date.now();
      const enable = await test.call('POST', `/v1/integrations/${connectionId}/debug`, { enabled: true, duration: 2, level: 'verbose' });
      expect(enable.status).toBe(200);
      expect(enable.body.enabled).toBe(true);
      expect(enable.body.level).toBe('verbose');
      expect(Date.parse(enable.body.expiresAt)).toBeGreaterThanOrEqual(before + 2_000);
      expect(Date.parse(enable.body.expiresAt)).toBeLessThanOrEqual(Date.now() + 2_000);

      const ownTest = await test.call('POST', `/v1/integrations/${connectionId}/test`);
      const otherTest = await test.call('POST', `/v1/integrations/${secondId}/test`);
      expect(ownTest.body.ok).toBe(true);
      expect(otherTest.body.ok).toBe(true);

      const lines = providerLines(test);
      const email = simulator.store.list('contacts')[0]?.properties.email;
      expect(lines).toHaveLength(1);
      const [line] = lines;
      expect(line?.level).toBe(DEBUG_LEVEL);
      expect(line?.connectionId).toBe(connectionId);
      expect(line?.operation).toBe('test');
      expect(line?.request.method).toBe('GET');
      expect(line?.request.url).toBe(`${simulator.url}/crm/v3/objects/contacts`);
      expect(line?.request.query).toEqual({ limit: 1 });
      expect(line?.request.headers.authorization).toBe('[redacted]');
      expect(line?.response.status).toBe(200);
      expect(line?.response.headers['x-hubspot-correlation-id']).toBeDefined();
      expect(line?.response.body.results[0].properties.email).toBe('[email]');
      expect(line?.durationMs).toBeGreaterThanOrEqual(0);
      expect(test.logs.some((entry) => entry.msg === 'provider request rate-limit status' && entry.connectionId === connectionId)).toBe(true);

      const text = test.logText();
      expect(email).toMatch(/@/);
      expect(text).not.toContain(email);
      for (const secret of [TOKEN, SECOND_TOKEN, ...base64Forms(TOKEN), ...base64Forms(SECOND_TOKEN)]) expect(text).not.toContain(secret);
      expect(test.logs.some((entry) => entry.connectionId === secondId && entry.level === DEBUG_LEVEL)).toBe(false);
    });

    it('is seen by another process', async () => {
      const other = await startLoggedPlatform(database.storeOptions());
      try {
        const reply = await other.call('POST', `/v1/integrations/${connectionId}/test`);
        expect(reply.body.ok).toBe(true);
        expect(providerLines(other).map((line) => line.connectionId)).toEqual([connectionId]);
      } finally {
        await other.close();
      }
    });

    it('stops at its expiry', async () => {
      const setting = await test.platform.store.connectionDebug.get(connectionId);
      const waitMs = (setting?.expiresAt ?? 0) - Date.now() + 50;
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));

      const before = providerLines(test).length;
      const reply = await test.call('POST', `/v1/integrations/${connectionId}/test`);
      const state = await test.call('GET', `/v1/integrations/${connectionId}/debug`);

      expect(reply.body.ok).toBe(true);
      expect(providerLines(test).length).toBe(before);
      expect(state.body).toMatchObject({ enabled: false, level: null, expiresAt: null });
    });

    it('stops when switched off', async () => {
      const on = await test.call('POST', `/v1/integrations/${connectionId}/debug`, { enabled: true });
      expect(Date.parse(on.body.expiresAt) - Date.now()).toBeGreaterThan(3_500 * 1000);
      const off = await test.call('POST', `/v1/integrations/${connectionId}/debug`, { enabled: false });

      const before = providerLines(test).length;
      await test.call('POST', `/v1/integrations/${connectionId}/test`);

      expect(off.body).toMatchObject({ enabled: false, level: null, expiresAt: null });
      expect(providerLines(test).length).toBe(before);
      expect(await test.platform.store.connectionDebug.get(connectionId)).toBeNull();
    });
  });
});

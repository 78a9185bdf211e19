import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestPlatform, watchRun, type TestPlatform } from '../e2e/platform-harness.js';
import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { forEachDatabase } from '../store/databases.js';
import { createResponseValidator } from './openapi-response-validator.js';

const TOKEN = 'response-contract-token';
const CONTACTS = 30;
const validator = createResponseValidator();

forEachDatabase((database) => {
  describe('responses against the OpenAPI document', () => {
    let simulator: HubSpotSimulator;
    let test: TestPlatform;
    let receiverUrl: string;

    beforeAll(async () => {
      simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { seed: 11, contacts: { count: CONTACTS, archivedCount: 0 } }, rateLimit: false });
      await simulator.start();
      test = await startTestPlatform({ store: database.storeOptions() });
      // Subscriptions only need a URL the platform accepts; no delivery is awaited here.
      receiverUrl = `${simulator.url}/__unused-receiver`;

      const connect = await test.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: TOKEN }, config: { baseUrl: simulator.url, rateLimits: 'providerOnly' } });
      validator.assertValid('POST', '/v1/integrations/{id}/connect', connect);
      const started = await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
      validator.assertValid('POST', '/v1/integrations/{id}/sync', started);
      expect((await watchRun(test, 'hubspot', 60_000)).final.lastRun.status).toBe('succeeded');
    }, 90_000);

    afterAll(async () => {
      await test?.close();
      await simulator?.close();
    });

    it('lists integrations as documented', async () => {
      const response = await test.call('GET', '/v1/integrations');

      expect(response.status).toBe(200);
      expect(validator.validate('GET', '/v1/integrations', response)).toEqual([]);
    });

    it('pages records as documented', async () => {
      const first = await test.call('GET', '/v1/records?integration=hubspot&object=contact&limit=20');
      const second = await test.call('GET', `/v1/records?integration=hubspot&object=contact&limit=20&cursor=${encodeURIComponent(first.body.nextCursor)}`);

      expect(first.body.records).toHaveLength(20);
      expect(second.body.records).toHaveLength(CONTACTS - 20);
      expect(second.body.nextCursor).toBeNull();
      expect(validator.validate('GET', '/v1/records', first)).toEqual([]);
      expect(validator.validate('GET', '/v1/records', second)).toEqual([]);
    });

    it('describes connection reads', async () => {
      for (const path of ['/v1/integrations/hubspot', '/v1/integrations/hubspot/status', '/v1/integrations/hubspot/sync/status', '/v1/integrations/hubspot/health', '/v1/integrations/hubspot/sync/logs?limit=5', '/v1/integrations/hubspot/sync/schedules', '/v1/integrations/hubspot/writeback', '/v1/integrations/hubspot/field-mappings', '/v1/integrations/hubspot/debug']) {
        const response = await test.call('GET', path);
        expect(response.status, path).toBe(200);
        expect(validator.validate('GET', path, response), path).toEqual([]);
      }
    });

    it('describes problems', async () => {
      const missing = await test.call('GET', '/v1/integrations/conn_missing');
      const invalid = await test.call('POST', '/v1/integrations/hubspot/sync', { type: 1 });
      const unauthenticated = await fetch(`${test.url}/v1/integrations`);

      expect(missing.status).toBe(404);
      expect(validator.validate('GET', '/v1/integrations/{id}', missing)).toEqual([]);
      expect(invalid.status).toBe(400);
      expect(validator.validate('POST', '/v1/integrations/{id}/sync', invalid)).toEqual([]);
      expect(validator.validate('GET', '/v1/integrations', { status: 401, body: await unauthenticated.json(), headers: unauthenticated.headers })).toEqual([]);
    });

    it('reports a response that breaks the document', () => {
      const problems = validator.validate('GET', '/v1/records', { status: 200, body: { records: [{ id: 7 }] }, headers: { 'content-type': 'application/json' } });
      const undeclared = validator.validate('GET', '/v1/records', { status: 418, body: {} });

      expect(problems.some((problem) => problem.includes('nextCursor'))).toBe(true);
      expect(problems.some((problem) => problem.includes('/records/0'))).toBe(true);
      expect(undeclared).toEqual([expect.stringContaining('does not declare status 418')]);
    });

    it('pages event subscriptions', async () => {
      const created: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        const response = await test.call('POST', '/v1/webhooks', { url: `${receiverUrl}/${index}`, events: ['sync.completed'] });
        validator.assertValid('POST', '/v1/webhooks', response);
        created.push(response.body.id);
      }

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
        const page = await test.call('GET', `/v1/webhooks${query}`);
        validator.assertValid('GET', '/v1/webhooks', page);
        expect(page.body.webhooks.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.webhooks.map((webhook: any) => webhook.id));
        cursor = page.body.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);

      expect(pages).toBe(3);
      expect(seen).toEqual(created);
      const detail = await test.call('GET', `/v1/webhooks/${created[0]}`);
      validator.assertValid('GET', '/v1/webhooks/{id}', detail);
      const deliveries = await test.call('GET', `/v1/webhooks/${created[0]}/deliveries`);
      validator.assertValid('GET', '/v1/webhooks/{id}/deliveries', deliveries);
    });

    it('rejects a forged subscription cursor', async () => {
      const response = await test.call('GET', `/v1/webhooks?cursor=${Buffer.from('../etc').toString('base64url')}`);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'FIELD_INVALID', field: 'cursor' });
      expect(validator.validate('GET', '/v1/webhooks', response)).toEqual([]);
    });
  });
});

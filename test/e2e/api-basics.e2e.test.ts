import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { forEachDatabase } from '../store/databases.js';
import { CONNECTORS_DIR, startTestPlatform, type TestPlatform } from './platform-harness.js';

/** Creates a connectors folder with the real HubSpot connector beside one whose manifest has three mistakes. */
async function makeConnectorsFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lumio-connectors-'));
  await cp(join(CONNECTORS_DIR, 'hubspot'), join(dir, 'hubspot'), { recursive: true });
  await mkdir(join(dir, 'broken'));
  await writeFile(join(dir, 'broken', 'manifest.json'), JSON.stringify({ manifestVersion: 1, id: 'broken', name: 42, version: '1.0.0' }));
  return dir;
}

forEachDatabase((database) => {
  describe('REST API basics', () => {
    let test: TestPlatform;
    let connectorsDir: string;

    beforeAll(async () => {
      connectorsDir = await makeConnectorsFolder();
      test = await startTestPlatform({ store: database.storeOptions(), connectorsDir });
    }, 60_000);

    afterAll(async () => {
      await test?.close();
      await rm(connectorsDir, { recursive: true, force: true });
    });

    it('rejects calls without an API key', async () => {
      const response = await fetch(`${test.url}/v1/integrations`);
      const body = (await response.json()) as any;

      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(body.code).toBe('AUTHENTICATION_REQUIRED');
    });

    it('rejects an unknown API key', async () => {
      const { status, body } = await test.call('GET', '/v1/integrations', undefined, { authorization: 'Bearer lumio_not-a-real-key-at-all' });

      expect(status).toBe(401);
      expect(body.code).toBe('AUTHENTICATION_INVALID');
    });

    it('serves health without a key', async () => {
      const response = await fetch(`${test.url}/health`);
      const body = (await response.json()) as any;

      expect(response.status).toBe(200);
      expect(body.checks.database).toBe('healthy');
      expect(body.checks.queue).toBe('healthy');
      expect(body.checks.redis).toBeUndefined();
      expect(body.checks.integrations.hubspot).toBe('not_connected');
      expect(body.checks.integrations.broken).toBe('unavailable');
      expect(body.status).toBe('degraded');
    });

    it('lists the invalid connector as unavailable', async () => {
      const { status, body } = await test.call('GET', '/v1/integrations');

      expect(status).toBe(200);
      const byId = Object.fromEntries(body.integrations.map((entry: any) => [entry.id, entry]));
      expect(byId.hubspot.status).toBe('not_connected');
      expect(byId.broken.status).toBe('unavailable');
      expect(byId.broken.error.issues).toBeGreaterThanOrEqual(3);
    });

    it('refuses to connect the invalid connector', async () => {
      const { status, body } = await test.call('POST', '/v1/integrations/broken/connect', { credentials: { accessToken: 'x' } });

      expect(status).toBe(409);
      expect(body.code).toBe('CONNECTOR_INVALID');
    });

    it('names the invalid connector before any connection', async () => {
      const { status, body } = await test.call('GET', '/v1/integrations/broken');

      expect(status).toBe(409);
      expect(body.code).toBe('CONNECTOR_INVALID');
      expect(body.detail).toContain('lumio-connector validate');
    });

    it('answers 404 for an unknown connector', async () => {
      const { status, body } = await test.call('POST', '/v1/integrations/nope/connect', { credentials: { accessToken: 'x' } });

      expect(status).toBe(404);
      expect(body.code).toBe('CONNECTOR_NOT_FOUND');
    });

    it('answers 404 for status before connecting', async () => {
      const { status, body } = await test.call('GET', '/v1/integrations/hubspot/status');

      expect(status).toBe(404);
      expect(body.code).toBe('INTEGRATION_NOT_FOUND');
    });

    it('rejects malformed connect bodies', async () => {
      const notJson = await fetch(`${test.url}/v1/integrations/hubspot/connect`, {
        method: 'POST',
        headers: { authorization: `Bearer ${test.apiKey}`, 'content-type': 'application/json' },
        body: '{"credentials": ',
      });
      expect(notJson.status).toBe(400);
      expect(((await notJson.json()) as any).code).toBe('BODY_INVALID_JSON');

      const noCredentials = await test.call('POST', '/v1/integrations/hubspot/connect', { config: {} });
      expect(noCredentials.status).toBe(400);
      expect(noCredentials.body.code).toBe('CREDENTIALS_INVALID');

      const badConfig = await test.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: 't' }, config: { portalId: 'abc', colour: 'blue' } });
      expect(badConfig.status).toBe(400);
      expect(badConfig.body.code).toBe('CONNECTION_CONFIG_INVALID');
      expect(badConfig.body.problems.map((problem: any) => problem.field).sort()).toEqual(['config.colour', 'config.portalId']);

      const badUrl = await test.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: 't' }, config: { baseUrl: 'ftp://example' } });
      expect(badUrl.status).toBe(400);
      expect(badUrl.body.field ?? badUrl.body.problems[0].field).toBe('config.baseUrl');
    });

    it('rejects a records query without an object', async () => {
      const { status, body } = await test.call('GET', '/v1/records?integration=hubspot');

      expect(status).toBe(400);
      expect(body.code).toBe('FIELD_REQUIRED');
      expect(body.field).toBe('object');
    });

    it('rejects a provider object name in records', async () => {
      const { status, body } = await test.call('GET', '/v1/records?object=contacts');

      expect(status).toBe(400);
      expect(body.code).toBe('FIELD_INVALID');
      expect(body.detail).toContain('Did you mean contact?');
    });

    it('rejects an unknown records query parameter', async () => {
      const { status, body } = await test.call('GET', '/v1/records?object=contact&inclueDeleted=true');

      expect(status).toBe(400);
      expect(body.code).toBe('QUERY_PARAMETER_UNKNOWN');
      expect(body.detail).toContain('did you mean includeDeleted?');
    });

    it('answers 404 as a problem for unknown routes', async () => {
      const { status, body } = await test.call('GET', '/v1/nothing-here');

      expect(status).toBe(404);
      expect(body.code).toBe('ROUTE_NOT_FOUND');
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { forEachDatabase } from '../store/databases.js';
import { startTestPlatform, type TestPlatform } from './platform-harness.js';

const TOKEN = 'guard-token';

forEachDatabase((database) => {
  describe('outbound guard with private network off', () => {
    let simulator: HubSpotSimulator;
    let test: TestPlatform;

    beforeAll(async () => {
      simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { contacts: 10 }, rateLimit: false });
      await simulator.start();
      test = await startTestPlatform({ store: database.storeOptions(), allowPrivateNetwork: false });
    });

    afterAll(async () => {
      await test?.close();
      await simulator?.close();
    });

    it('refuses a loopback base URL before any request', async () => {
      const { status, body } = await test.call('POST', '/v1/integrations/hubspot/connect', {
        credentials: { accessToken: TOKEN },
        config: { baseUrl: simulator.url },
      });

      expect(status).toBe(422);
      expect(body.code).toBe('CONNECTION_TEST_FAILED');
      expect(body.reason).toBe('DESTINATION_NOT_ALLOWED');
      expect(body.detail).toContain('127.0.0.1');
      expect(simulator.requests.count()).toBe(0);
    });
  });
});

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CONNECTORS_DIR, startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { forEachDatabase } from '../store/databases.js';

const TOKEN = 'diag-access-token-6c1f2e9a';
const WEBHOOK_SECRET = 'diag-webhook-secret-33d0b7';
const VERIFY_TOKEN = 'diag-verify-token-a81e44';
const HOUR_MS = 3_600_000;

/** Every form a secret must not appear in: as is, base64 with and without padding, base64url and URL-encoded. */
function forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [secret, bytes.toString('base64'), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url'), encodeURIComponent(secret)];
}

forEachDatabase((database) => {
  describe('diagnostic report', () => {
    let simulator: HubSpotSimulator;
    let test: TestPlatform;
    let connectionId: string;
    let failedRunId: string;
    let deadEventId: string;

    beforeAll(async () => {
      simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { seed: 9, contacts: { count: 40 } }, rateLimit: false });
      await simulator.start();
      test = await startTestPlatform({ store: database.storeOptions() });
      const store = test.platform.store;

      const connect = await test.call('POST', '/v1/integrations/hubspot/connect', {
        credentials: { accessToken: TOKEN },
        config: { baseUrl: simulator.url, rateLimits: 'providerOnly' },
        webhookSecrets: [WEBHOOK_SECRET],
        webhookVerifyToken: VERIFY_TOKEN,
      });
      expect(connect.status).toBe(200);
      connectionId = connect.body.connectionId;
      const workspaceId = test.platform.admin.workspaceId;

      const sync = await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
      expect(sync.status).toBe(202);
      for (let attempt = 0; attempt < 500; attempt += 1) {
        const run = await store.syncRuns.get(sync.body.id);
        if (run?.status === 'succeeded') break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }

      // A failed run whose message leaked the token, as a careless connector might write it.
      const run = await store.syncRuns.create({ workspaceId, connectionId, object: 'deals', mode: 'full', trigger: 'manual' });
      await store.syncRuns.update(run.id, {
        status: 'failed',
        startedAt: new Date().toISOString(),
        finishedAt: new Date().toISOString(),
        errorCode: 'SYNC_FAILED',
        errorMessage: `Provider said: bad header Bearer ${TOKEN} (${Buffer.from(TOKEN).toString('base64')})`,
      });
      failedRunId = run.id;

      // A dead webhook event whose error quotes the signing secret. It is due in an hour, so
      // the platform's worker leaves it to this claim.
      const receivedAt = Date.now() + HOUR_MS;
      const [inserted] = await store.webhookEvents.insertDeliveries([
        {
          workspaceId,
          connectionId,
          connectorId: 'hubspot',
          receivedAt,
          method: 'POST',
          contentType: 'application/json',
          headers: {},
          body: Buffer.from('[{"eventId": 1}]'),
          events: [{ dedupKey: 'diag-1', providerEventId: '1', eventType: 'contact.creation', payload: { eventId: 1 } }],
        },
      ]);
      deadEventId = inserted?.inserted[0]?.id ?? '';
      const claimed = await store.webhookEvents.claimDue({ workerId: 'diag-test', limit: 10, lockMs: 60_000, now: receivedAt });
      expect(claimed.map((event) => event.id)).toEqual([deadEventId]);
      await store.webhookEvents.fail(deadEventId, 'diag-test', { code: 'MAPPING_FAILED', message: `Signature base ${WEBHOOK_SECRET} did not map`, nextAttemptAt: null });
    }, 60_000);

    afterAll(async () => {
      await test?.close();
      await simulator?.close();
    });

    it('contains no secret in any form', async () => {
      const connection = await test.platform.store.connections.get(connectionId);
      const reply = await test.call('GET', '/v1/integrations/hubspot/diagnostic');
      const text = JSON.stringify(reply.body);

      expect(reply.status).toBe(200);
      for (const secret of [TOKEN, WEBHOOK_SECRET, VERIFY_TOKEN, connection?.webhookToken ?? 'missing', test.apiKey]) {
        for (const form of forms(secret)) expect(text, form).not.toContain(form);
      }
      expect(text).toContain('[redacted]');
    });

    it('describes versions and the connection', async () => {
      const { body } = await test.call('GET', `/v1/integrations/${connectionId}/diagnostic`);
      const manifestBytes = readFileSync(path.join(CONNECTORS_DIR, 'hubspot', 'manifest.json'));
      const manifest = JSON.parse(manifestBytes.toString('utf8'));
      const platformPackage = JSON.parse(readFileSync(new URL('../../platform/package.json', import.meta.url), 'utf8'));

      expect(body.integration).toBe('hubspot');
      expect(body.connectionId).toBe(connectionId);
      expect(body.platform.version).toBe(platformPackage.version);
      expect(body.platform.node).toBe(process.version);
      expect(body.platform.database).toBe(database.kind);
      expect(body.connector.id).toBe('hubspot');
      expect(body.connector.version).toBe(manifest.version);
      expect(body.connector.manifestHash).toBe(createHash('sha256').update(manifestBytes).digest('hex'));
      expect(body.connection.status).toBe('connected');
      expect(body.connection.credentialNames).toEqual(['accessToken']);
      expect(body.connection.configNames).toEqual(['baseUrl', 'rateLimits']);
      expect(body.connection.health).toMatchObject({ status: 'healthy' });
      expect(body.webhooks.settings).toEqual({ secrets: 1, allowedIps: 0, verifyToken: true });
      expect(body.mappings.map((mapping: any) => mapping.object)).toContain('contacts');
      expect(body.mappings.find((mapping: any) => mapping.object === 'contacts').version).toBe(1);
      expect(Array.isArray(body.circuitBreakers)).toBe(true);
      expect(body.rateLimits.every((budget: any) => !('key' in budget))).toBe(true);
      expect(body.debug.enabled).toBe(false);
    });

    it('lists failed runs and webhook events', async () => {
      const { body } = await test.call('GET', '/v1/integrations/hubspot/diagnostic');
      const [failure] = body.syncs.recentFailures;
      const [deadEvent] = body.webhooks.recentFailures;

      expect(body.syncs.recent.some((run: any) => run.status === 'succeeded' && run.object === 'contacts')).toBe(true);
      expect(body.syncs.recentFailures).toHaveLength(1);
      expect(failure.id).toBe(failedRunId);
      expect(failure.error.code).toBe('SYNC_FAILED');
      expect(failure.error.message).toBe('Provider said: bad header Bearer [redacted] ([redacted])');
      expect(deadEvent.id).toBe(deadEventId);
      expect(deadEvent.status).toBe('dead');
      expect(deadEvent.error).toEqual({ code: 'MAPPING_FAILED', message: 'Signature base [redacted] did not map' });
      expect(body.webhooks.byStatus.dead).toBe(1);
    });

    it('shows debug mode while on', async () => {
      const on = await test.call('POST', '/v1/integrations/hubspot/debug', { enabled: true, duration: 600 });
      const { body } = await test.call('GET', '/v1/integrations/hubspot/diagnostic');
      await test.call('POST', '/v1/integrations/hubspot/debug', { enabled: false });

      expect(body.debug).toMatchObject({ enabled: true, level: 'verbose', expiresAt: on.body.expiresAt });
      expect(body.debug.enabledBy).toMatch(/^key:/);
    });
  });
});

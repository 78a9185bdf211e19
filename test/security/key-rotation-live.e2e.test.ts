import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { decryptSubscriptionKey, encryptSubscriptionSecret } from '../../platform/src/events/subscription-secret.js';
import { isLumioError } from '../../platform/src/errors/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { createCredentialCipher, loadMasterKeys, type CredentialCipher, type CredentialEnvelope } from '../../platform/src/security/index.js';
import { createTimeOrderedId, ENVELOPE_TABLES, type EnvelopeTable, type StoredEnvelope } from '../../platform/src/store/index.js';
import { WebhookSettingsService } from '../../platform/src/webhooks/index.js';
import { BASIC_CONNECTOR, OPERATOR_CLIENT, oauthConnectorManifests, PKCE_CLIENT, PKCE_CONNECTOR } from '../oauth/support/oauth-connectors.js';
import { startOAuthTestPlatform, type OAuthTestPlatform } from '../oauth/support/oauth-platform.js';
import { createOAuthTokenSimulator, SIMULATED_CONTACTS, type OAuthTokenSimulator, type RunningOAuthTokenSimulator } from '../simulators/oauth/index.js';
import { forEachDatabase } from '../store/databases.js';
import { writeConnectorsFolder, type ConnectorsFolder } from '../webhooks/support/fixture-connectors.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'platform/src/cli/main.ts');
const CONNECTIONS = 100;
const SIGNING_SECRET = `whsec_${randomBytes(24).toString('base64')}`;

/** Runs `lumio <args>` as `npm run lumio --` does and returns its exit code and output. */
function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function mapLimit<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await run(items[index]!);
      }
    }),
  );
  return results;
}

function decryptCode(cipher: CredentialCipher, scope: string, envelope: CredentialEnvelope): string | null {
  try {
    cipher.decrypt(scope, envelope);
    return null;
  } catch (error) {
    if (isLumioError(error)) return error.code;
    throw error;
  }
}

forEachDatabase((database) => {
  describe('master key rotation on a running platform', () => {
    let simulator: OAuthTokenSimulator;
    let server: RunningOAuthTokenSimulator;
    let folder: ConnectorsFolder;
    let test: OAuthTestPlatform;
    let cliEnv: Record<string, string>;

    beforeAll(async () => {
      simulator = createOAuthTokenSimulator({ clients: [PKCE_CLIENT, OPERATOR_CLIENT] });
      server = await simulator.start();
      folder = await writeConnectorsFolder(oauthConnectorManifests(server.url));
      const store = database.storeOptions();
      test = await startOAuthTestPlatform(store, folder.dir);
      cliEnv = { LUMIO_DATA_DIR: store.dataDir, LUMIO_DEMO: 'false', ...(store.databaseUrl ? { DATABASE_URL: store.databaseUrl } : {}) };
    });

    afterAll(async () => {
      await test?.close();
      await server?.close();
      await folder?.remove();
    });

    async function fileCipher(): Promise<CredentialCipher> {
      return createCredentialCipher(await loadMasterKeys({ dataDir: database.storeOptions().dataDir, logger: silentLogger }));
    }

    async function snapshotEnvelopes(): Promise<Map<EnvelopeTable, StoredEnvelope[]>> {
      const snapshot = new Map<EnvelopeTable, StoredEnvelope[]>();
      for (const table of ENVELOPE_TABLES) snapshot.set(table, await test.platform.store.envelopes.listWithOtherKey(table, '', null, 10_000));
      return snapshot;
    }

    function preview(connectionId: string) {
      return test.call('POST', `/v1/integrations/${connectionId}/sync/preview`, { type: 'contacts', mode: 'full' });
    }

    it('rotates while requests and a sync run', { timeout: 180_000 }, async () => {
      const { store } = test.platform;
      const before = await fileCipher();
      const workspaceId = (await store.workspaces.getOrCreateDefault()).id;

      // 100 connections with bearer tokens the simulator accepts, webhook secrets on ten of them,
      // an event subscription and a pending OAuth authorization, so every encrypted table has rows.
      const expected = new Map<string, string>();
      const names = Array.from({ length: CONNECTIONS }, (_, index) => `conn-${index}`);
      const connectionIds = await mapLimit(names, 8, async (name) => {
        const accessToken = simulator.authorize(OPERATOR_CLIENT.clientId).accessToken;
        const response = await test.call('POST', `/v1/integrations/${BASIC_CONNECTOR}/connect`, { name, credentials: { accessToken }, test: false });
        expect(response.status).toBe(200);
        expected.set(response.body.connectionId, accessToken);
        return response.body.connectionId as string;
      });
      expect(new Set(connectionIds).size).toBe(CONNECTIONS);
      // The fixture connector declares no webhooks, so the settings are stored through the platform's own service.
      for (const connectionId of connectionIds.slice(0, 10)) await test.platform.webhooks.settings.update(connectionId, { secrets: [`hook-${connectionId}`] });
      const subscriptionId = createTimeOrderedId('sub');
      await store.eventSubscriptions.create({ id: subscriptionId, workspaceId, url: 'https://hooks.example.com/lumio', events: ['record.deleted'], secret: encryptSubscriptionSecret(before, subscriptionId, SIGNING_SECRET) });
      expect((await test.call('POST', `/v1/integrations/${PKCE_CONNECTOR}/connect`, { name: 'pending', credentials: PKCE_CLIENT })).status).toBe(200);

      const captured = await snapshotEnvelopes();
      expect(captured.get('credentials')!.length).toBeGreaterThanOrEqual(CONNECTIONS);
      expect(captured.get('webhook_secrets')!.length).toBeGreaterThanOrEqual(10);
      expect(captured.get('event_subscriptions')!.length).toBeGreaterThanOrEqual(1);
      expect(captured.get('oauth_states')!.length).toBeGreaterThanOrEqual(1);

      // Load while the rotation runs: previews read credentials and call the simulator, a few
      // connections are reconnected with new tokens, and syncs run.
      let running = true;
      const failures: string[] = [];
      let requests = 0;
      const readers = Array.from({ length: 3 }, async (_, reader) => {
        let index = reader;
        while (running) {
          const connectionId = connectionIds[index % CONNECTIONS]!;
          const response = await preview(connectionId);
          requests += 1;
          if (response.status !== 200) failures.push(`preview ${connectionId}: ${response.status} ${JSON.stringify(response.body)}`);
          index += 7;
        }
      });
      const writer = (async () => {
        let round = 0;
        while (running) {
          const connectionId = connectionIds[(round * 13) % CONNECTIONS]!;
          const accessToken = simulator.authorize(OPERATOR_CLIENT.clientId).accessToken;
          const response = await test.call('POST', `/v1/integrations/${connectionId}/connect`, { credentials: { accessToken }, test: false });
          if (response.status === 200) expected.set(connectionId, accessToken);
          else failures.push(`reconnect ${connectionId}: ${response.status}`);
          round += 1;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      const synced = connectionIds.slice(20, 23);
      for (const connectionId of synced) expect((await test.call('POST', `/v1/integrations/${connectionId}/sync`, { type: 'contacts', mode: 'full' })).status).toBe(202);

      const rotation = await runCli(['rotate-master-key', '--batch-size', '10'], cliEnv);
      running = false;
      await Promise.all([...readers, writer]);

      expect(rotation.stderr).toBe('');
      expect(rotation.code).toBe(0);
      const added = /Added master key ([0-9a-f]{16}) .* \(it was ([0-9a-f]{16})\)/.exec(rotation.stdout);
      expect(added, rotation.stdout).not.toBeNull();
      const [, newKeyId, oldKeyId] = added!;
      expect(oldKeyId).toBe(before.activeKeyId);
      expect(rotation.stdout).toContain(`retire it with \`npm run lumio -- rotate-master-key --retire ${oldKeyId}\``);
      expect(requests).toBeGreaterThan(5);
      expect(failures).toEqual([]);

      // Nothing lost: every row names the new key, and every connection's credentials are the latest ones stored.
      const counts = await store.envelopes.countByKey();
      expect(counts.filter((count) => count.keyId !== newKeyId)).toEqual([]);
      const after = await fileCipher();
      expect(after.activeKeyId).toBe(newKeyId);
      for (const connectionId of connectionIds) {
        expect(after.decrypt(connectionId, (await store.credentials.getEncrypted(connectionId))!)).toEqual({ accessToken: expected.get(connectionId) });
      }
      for (const connectionId of synced) {
        const runs = await (async () => {
          const deadline = Date.now() + 30_000;
          for (;;) {
            const list = await store.syncRuns.list(connectionId, { limit: 5 });
            if (list.length > 0 && list.every((run) => run.status !== 'queued' && run.status !== 'running')) return list;
            if (Date.now() > deadline) throw new Error(`the sync of ${connectionId} did not finish`);
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        })();
        expect(runs.map((run) => run.status)).toEqual(runs.map(() => 'succeeded'));
      }

      // The running platform reads the re-encrypted rows: a request with every connection's credentials succeeds.
      const previews = await mapLimit(connectionIds, 8, async (connectionId) => (await preview(connectionId)).status);
      expect(previews.filter((status) => status !== 200)).toEqual([]);
      const records = (await preview(connectionIds[0]!)).body;
      expect(JSON.stringify(records)).toContain(SIMULATED_CONTACTS[0]!.email);

      // Retiring the old key: the CLI removes it from the key file and the platform drops it.
      const reloads = test.logLines.length;
      const retire = await runCli(['rotate-master-key', '--retire', oldKeyId!], cliEnv);
      expect(retire.code).toBe(0);
      expect(retire.stdout).toContain(`Removed master key ${oldKeyId}`);
      const deadline = Date.now() + 10_000;
      while (!test.logLines.slice(reloads).some((line) => line.includes('reloaded the master key file') && !line.includes(oldKeyId!))) {
        if (Date.now() > deadline) throw new Error('the platform did not reload the key file after the key was retired');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      // Ciphertext captured before the rotation no longer decrypts, while every current row does.
      const retired = await fileCipher();
      expect(retired.keyIds).toEqual([newKeyId]);
      for (const row of captured.get('credentials')!) expect(decryptCode(retired, row.id, row.envelope)).toBe('CREDENTIALS_DECRYPT_FAILED');
      for (const row of captured.get('webhook_secrets')!) expect(decryptCode(retired, `${row.id}#webhook-settings`, row.envelope)).toBe('CREDENTIALS_DECRYPT_FAILED');
      const settings = new WebhookSettingsService({ store, cipher: retired, logger: silentLogger });
      for (const connectionId of connectionIds.slice(0, 10)) expect((await settings.get(connectionId)).secrets).toEqual([`hook-${connectionId}`]);
      const subscription = (await store.eventSubscriptions.findById(subscriptionId))!;
      expect(decryptSubscriptionKey(retired, subscriptionId, subscription.secret)).toHaveLength(24);

      // The running platform rejects an old envelope put back (as from a backup) and still serves the others.
      const restored = captured.get('credentials')!.find((row) => row.id === connectionIds[99])!;
      await store.credentials.saveEncrypted(restored.id, restored.envelope);
      const rejected = await preview(restored.id);
      expect(rejected.status).toBe(500);
      expect(rejected.body.code).toBe('CREDENTIALS_DECRYPT_FAILED');
      expect((await preview(connectionIds[98]!)).status).toBe(200);
    });
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { decryptSubscriptionKey, encryptSubscriptionSecret } from '../../platform/src/events/subscription-secret.js';
import { isLumioError } from '../../platform/src/errors/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { createCredentialCipher, loadMasterKeys, oauthStateScope, type CredentialCipher, type CredentialEnvelope } from '../../platform/src/security/index.js';
import { retireMasterKey, rotateMasterKey } from '../../platform/src/security/key-rotation/index.js';
import { createTimeOrderedId, ENVELOPE_TABLES, openStore, type Store } from '../../platform/src/store/index.js';
import { WebhookSettingsService } from '../../platform/src/webhooks/index.js';
import { createTemporaryDatabase, forEachDatabase, type TemporaryDatabase } from '../store/databases.js';

const POSIX = process.platform !== 'win32';
const SIGNING_SECRET = `whsec_${randomBytes(24).toString('base64')}`;

/** Key id as the platform derives it, computed here independently: the first 16 hex characters of SHA-256. */
function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

async function cipherFromKeyFile(dataDir: string): Promise<CredentialCipher> {
  return createCredentialCipher(await loadMasterKeys({ dataDir, logger: silentLogger }));
}

function decryptError(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (isLumioError(error)) return error.code;
    throw error;
  }
  throw new Error('expected decryption to fail');
}

interface Seeded {
  connectionIds: string[];
  credentials: Map<string, Record<string, string>>;
  webhookConnectionIds: string[];
  subscriptionId: string;
  stateId: string;
}

/** Stores three connections with credentials, webhook settings on two, one event subscription and one OAuth state, all with `cipher`. */
async function seed(store: Store, cipher: CredentialCipher): Promise<Seeded> {
  const workspace = await store.workspaces.create({ name: `Rotation ${randomBytes(4).toString('hex')}` });
  const connectionIds: string[] = [];
  const credentials = new Map<string, Record<string, string>>();
  for (let index = 0; index < 3; index += 1) {
    const connection = await store.connections.create({ workspaceId: workspace.id, connectorId: 'hubspot', name: `c${index}`, authMethod: 'bearer', status: 'connected' });
    const value = { accessToken: `token-${index}-${randomBytes(8).toString('hex')}` };
    await store.credentials.saveEncrypted(connection.id, cipher.encrypt(connection.id, value));
    connectionIds.push(connection.id);
    credentials.set(connection.id, value);
  }

  const settings = new WebhookSettingsService({ store, cipher, logger: silentLogger });
  const webhookConnectionIds = connectionIds.slice(0, 2);
  for (const connectionId of webhookConnectionIds) await settings.update(connectionId, { secrets: [`hook-secret-${connectionId}`] });

  const subscriptionId = createTimeOrderedId('sub');
  await store.eventSubscriptions.create({ id: subscriptionId, workspaceId: workspace.id, url: 'https://hooks.example.com/lumio', events: ['sync.completed'], secret: encryptSubscriptionSecret(cipher, subscriptionId, SIGNING_SECRET) });

  const stateId = createTimeOrderedId('oas');
  await store.oauthStates.create({
    id: stateId,
    stateHash: randomBytes(32).toString('hex'),
    workspaceId: workspace.id,
    connectorId: 'hubspot',
    connectionName: 'pending',
    connectionId: null,
    actor: 'key:test',
    apiKeyId: null,
    userId: null,
    redirectUri: 'http://127.0.0.1:9/v1/oauth/callback',
    request: { config: {} },
    secrets: cipher.encrypt(oauthStateScope(stateId), { clientId: 'client', codeVerifier: 'verifier-value' }),
    createdAt: Date.now(),
    expiresAt: Date.now() + 600_000,
  });
  return { connectionIds, credentials, webhookConnectionIds, subscriptionId, stateId };
}

forEachDatabase((database) => {
  describe('master key rotation', () => {
    let temporary: TemporaryDatabase;
    let store: Store;
    let dataDir: string;

    // Each test gets its own database, because a rotation covers every row of the database.
    beforeEach(async () => {
      temporary = await createTemporaryDatabase(database.kind);
      store = await openStore(temporary.options);
      dataDir = await mkdtemp(path.join(tmpdir(), 'lumio-rotation-'));
    });

    afterEach(async () => {
      await store.close();
      await temporary.dispose();
      await rm(dataDir, { recursive: true, force: true });
    });

    /** Rows of this test's seed, per key id, read from the store. */
    async function keyIdsOf(seeded: Seeded): Promise<string[]> {
      const ids: string[] = [];
      for (const connectionId of seeded.connectionIds) ids.push((await store.credentials.getEncrypted(connectionId))!.keyId);
      for (const connectionId of seeded.webhookConnectionIds) ids.push((await store.webhookSecrets.get(connectionId))!.keyId);
      ids.push((await store.eventSubscriptions.findById(seeded.subscriptionId))!.secret.keyId);
      ids.push((await store.knex('oauth_states').where({ id: seeded.stateId }).first()).key_id as string);
      return ids;
    }

    it('moves every table to a new key', async () => {
      const before = await cipherFromKeyFile(dataDir);
      const seeded = await seed(store, before);

      const report = await rotateMasterKey({ store, dataDir, logger: silentLogger, sweepPauseMs: 10 });

      const after = await cipherFromKeyFile(dataDir);
      expect(report.keyAdded).toBe(true);
      expect(report.previousKeyId).toBe(before.activeKeyId);
      expect(report.activeKeyId).toBe(after.activeKeyId);
      expect(after.keyIds).toEqual([report.activeKeyId, before.activeKeyId]);
      expect(report.moved.credentials).toBeGreaterThanOrEqual(3);
      expect(report.moved.webhook_secrets).toBeGreaterThanOrEqual(2);
      expect(report.moved.event_subscriptions).toBeGreaterThanOrEqual(1);
      expect(report.moved.oauth_states).toBeGreaterThanOrEqual(1);
      expect(report.failures).toEqual([]);
      expect(report.retirableKeyIds).toContain(before.activeKeyId);
      expect(new Set(await keyIdsOf(seeded))).toEqual(new Set([report.activeKeyId]));

      // Each table decrypts through the code that owns it, so the rotation used the same associated data.
      for (const [connectionId, value] of seeded.credentials) expect(after.decrypt(connectionId, (await store.credentials.getEncrypted(connectionId))!)).toEqual(value);
      const settings = new WebhookSettingsService({ store, cipher: after, logger: silentLogger });
      for (const connectionId of seeded.webhookConnectionIds) expect((await settings.get(connectionId)).secrets).toEqual([`hook-secret-${connectionId}`]);
      const subscription = (await store.eventSubscriptions.findById(seeded.subscriptionId))!;
      expect(decryptSubscriptionKey(after, seeded.subscriptionId, subscription.secret).equals(Buffer.from(SIGNING_SECRET.slice('whsec_'.length), 'base64'))).toBe(true);
      const state = (await store.knex('oauth_states').where({ id: seeded.stateId }).first()) as Record<string, string>;
      const stateEnvelope: CredentialEnvelope = { keyId: state.key_id!, nonce: state.nonce!, ciphertext: state.ciphertext!, authTag: state.auth_tag! };
      expect(after.decrypt(oauthStateScope(seeded.stateId), stateEnvelope)).toEqual({ clientId: 'client', codeVerifier: 'verifier-value' });

      // A process that still holds only the old key cannot read the new rows.
      const first = seeded.connectionIds[0]!;
      const rotated = (await store.credentials.getEncrypted(first))!;
      expect(decryptError(() => before.decrypt(first, rotated))).toBe('CREDENTIALS_DECRYPT_FAILED');
    });

    it('covers every encrypted table', async () => {
      // Any table with a nonce column stores envelopes, and a rotation that skipped it would strand its rows.
      const tables = new Set<string>();
      if (store.dialect === 'postgres') {
        const rows = await store.knex.raw(`select table_name from information_schema.columns where table_schema = current_schema() and column_name like '%nonce'`);
        for (const row of rows.rows as { table_name: string }[]) tables.add(row.table_name);
      } else {
        const names = (await store.knex.raw(`select name from sqlite_master where type = 'table'`)) as { name: string }[];
        for (const { name } of names) {
          const columns = (await store.knex.raw(`pragma table_info("${name}")`)) as { name: string }[];
          if (columns.some((column) => column.name.endsWith('nonce'))) tables.add(name);
        }
      }

      expect([...tables].sort()).toEqual([...ENVELOPE_TABLES].sort());
    });

    it.skipIf(!POSIX)('keeps the key file private', async () => {
      await cipherFromKeyFile(dataDir);

      await rotateMasterKey({ store, dataDir, logger: silentLogger, sweepPauseMs: 10 });

      const file = path.join(dataDir, 'master.key');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '' && !line.startsWith('#'));
      expect(lines).toHaveLength(2);
    });

    it('takes the new key from the caller', async () => {
      await seed(store, await cipherFromKeyFile(dataDir));
      const key = randomBytes(32);

      const report = await rotateMasterKey({ store, dataDir, logger: silentLogger, newKey: key, sweepPauseMs: 10 });

      expect(report.activeKeyId).toBe(keyIdOf(key));
      expect((await cipherFromKeyFile(dataDir)).activeKeyId).toBe(keyIdOf(key));
    });

    it('rejects the active key as new', async () => {
      const keyring = await loadMasterKeys({ dataDir, logger: silentLogger });

      const attempt = rotateMasterKey({ store, dataDir, logger: silentLogger, newKey: keyring.keys[0]!.key, sweepPauseMs: 10 });

      await expect(attempt).rejects.toMatchObject({ code: 'MASTER_KEY_ALREADY_ACTIVE' });
    });

    it('keeps rows rewritten meanwhile', async () => {
      const before = await cipherFromKeyFile(dataDir);
      const seeded = await seed(store, before);
      const target = seeded.connectionIds[1]!;
      const written = { accessToken: `written-meanwhile-${randomBytes(6).toString('hex')}` };
      let interfered = false;
      // A platform process that has not yet seen the new key replaces the row between the read and the write.
      const racing = {
        envelopes: {
          ...store.envelopes,
          async replaceIfUnchanged(table: Parameters<Store['envelopes']['replaceIfUnchanged']>[0], id: string, expected: CredentialEnvelope, next: CredentialEnvelope) {
            if (!interfered && table === 'credentials' && id === target) {
              interfered = true;
              await store.credentials.saveEncrypted(target, before.encrypt(target, written));
            }
            return store.envelopes.replaceIfUnchanged(table, id, expected, next);
          },
        },
      };

      const report = await rotateMasterKey({ store: racing, dataDir, logger: silentLogger, sweepPauseMs: 10 });

      const after = await cipherFromKeyFile(dataDir);
      expect(report.changedMeanwhile).toBe(1);
      const envelope = (await store.credentials.getEncrypted(target))!;
      expect(envelope.keyId).toBe(report.activeKeyId);
      expect(after.decrypt(target, envelope)).toEqual(written);
    });

    it('reports rows no key decrypts', async () => {
      const cipher = await cipherFromKeyFile(dataDir);
      const seeded = await seed(store, cipher);
      const lostKey = randomBytes(32);
      const lost = createCredentialCipher({ keys: [{ id: keyIdOf(lostKey), key: lostKey }], activeKeyId: keyIdOf(lostKey) });
      const target = seeded.connectionIds[2]!;
      await store.credentials.saveEncrypted(target, lost.encrypt(target, { accessToken: 'unreadable' }));

      const report = await rotateMasterKey({ store, dataDir, logger: silentLogger, sweepPauseMs: 10 });

      expect(report.failures).toEqual([{ table: 'credentials', id: target, keyId: keyIdOf(lostKey), code: 'CREDENTIALS_DECRYPT_FAILED' }]);
      expect((await store.credentials.getEncrypted(target))!.keyId).toBe(keyIdOf(lostKey));
      expect((await store.credentials.getEncrypted(seeded.connectionIds[0]!))!.keyId).toBe(report.activeKeyId);
    });

    it('resumes with reencrypt only', async () => {
      const before = await cipherFromKeyFile(dataDir);
      const seeded = await seed(store, before);
      const first = await rotateMasterKey({ store, dataDir, logger: silentLogger, sweepPauseMs: 10 });
      // Rows written with the old key after the rotation, as by a process that had not reloaded.
      const late = seeded.connectionIds[0]!;
      await store.credentials.saveEncrypted(late, before.encrypt(late, { accessToken: 'late' }));

      const report = await rotateMasterKey({ store, dataDir, logger: silentLogger, reEncryptOnly: true, sweepPauseMs: 10 });

      expect(report.keyAdded).toBe(false);
      expect(report.activeKeyId).toBe(first.activeKeyId);
      expect(report.moved.credentials).toBe(1);
      expect((await store.credentials.getEncrypted(late))!.keyId).toBe(first.activeKeyId);
    });

    it('retires an unused key', async () => {
      const before = await cipherFromKeyFile(dataDir);
      const seeded = await seed(store, before);
      const captured = (await store.credentials.getEncrypted(seeded.connectionIds[0]!))!;
      const rotation = await rotateMasterKey({ store, dataDir, logger: silentLogger, sweepPauseMs: 10 });

      const retired = await retireMasterKey({ store, dataDir, logger: silentLogger, keyId: before.activeKeyId });

      const after = await cipherFromKeyFile(dataDir);
      expect(retired).toMatchObject({ keyId: before.activeKeyId, removedFromFile: true, remainingKeyIds: [rotation.activeKeyId] });
      expect(after.keyIds).toEqual([rotation.activeKeyId]);
      expect(decryptError(() => after.decrypt(seeded.connectionIds[0]!, captured))).toBe('CREDENTIALS_DECRYPT_FAILED');
      for (const [connectionId, value] of seeded.credentials) expect(after.decrypt(connectionId, (await store.credentials.getEncrypted(connectionId))!)).toEqual(value);
    });

    it('refuses to retire a key in use', async () => {
      const before = await cipherFromKeyFile(dataDir);
      const seeded = await seed(store, before);
      await rotateMasterKey({ store, dataDir, logger: silentLogger, sweepPauseMs: 10 });
      const late = seeded.connectionIds[0]!;
      await store.credentials.saveEncrypted(late, before.encrypt(late, { accessToken: 'late' }));
      const file = await readFile(path.join(dataDir, 'master.key'), 'utf8');

      const attempt = retireMasterKey({ store, dataDir, logger: silentLogger, keyId: before.activeKeyId });

      await expect(attempt).rejects.toMatchObject({ code: 'MASTER_KEY_IN_USE' });
      await expect(attempt).rejects.toThrow('1 in credentials');
      expect(await readFile(path.join(dataDir, 'master.key'), 'utf8')).toBe(file);
    });

    it('refuses to retire the active key', async () => {
      const cipher = await cipherFromKeyFile(dataDir);

      await expect(retireMasterKey({ store, dataDir, logger: silentLogger, keyId: cipher.activeKeyId })).rejects.toMatchObject({ code: 'MASTER_KEY_ACTIVE' });
    });

    it('refuses to retire an unknown key', async () => {
      await cipherFromKeyFile(dataDir);

      await expect(retireMasterKey({ store, dataDir, logger: silentLogger, keyId: 'feedfacefeedface' })).rejects.toMatchObject({ code: 'MASTER_KEY_NOT_FOUND' });
    });

    it('re-encrypts to the first environment key', async () => {
      const oldKey = randomBytes(32);
      const newKey = randomBytes(32);
      const old = createCredentialCipher(await loadMasterKeys({ masterKey: oldKey.toString('base64'), dataDir, logger: silentLogger }));
      const seeded = await seed(store, old);
      const masterKeys = [newKey.toString('base64'), oldKey.toString('base64')];

      const report = await rotateMasterKey({ store, dataDir, masterKeys, logger: silentLogger, sweepPauseMs: 10 });
      const retired = await retireMasterKey({ store, dataDir, masterKeys, logger: silentLogger, keyId: keyIdOf(oldKey) });

      expect(report).toMatchObject({ source: 'environment', keyAdded: false, activeKeyId: keyIdOf(newKey), previousKeyId: keyIdOf(newKey) });
      expect(new Set(await keyIdsOf(seeded))).toEqual(new Set([keyIdOf(newKey)]));
      expect(retired).toMatchObject({ removedFromFile: false, remainingKeyIds: [keyIdOf(newKey)] });
      await expect(stat(path.join(dataDir, 'master.key'))).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('rejects a new key for environment keys', async () => {
      const attempt = rotateMasterKey({ store, dataDir, masterKey: randomBytes(32).toString('base64'), newKey: randomBytes(32), logger: silentLogger, sweepPauseMs: 10 });

      await expect(attempt).rejects.toMatchObject({ code: 'MASTER_KEY_ROTATION_UNSUPPORTED' });
    });
  });
});

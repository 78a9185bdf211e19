import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../observability/index.js';
import { createCredentialCipher } from './credential-cipher.js';
import { replaceKeyFile } from './key-file.js';
import { deriveKeyId } from './key-id.js';
import { openCredentialCipher, type OpenedCredentialCipher } from './open-cipher.js';

const POSIX = process.platform !== 'win32';

function makeKey() {
  const key = randomBytes(32);
  return { id: deriveKeyId(key), key };
}

async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('openCredentialCipher', () => {
  let dataDir: string;
  let opened: OpenedCredentialCipher | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lumio-open-cipher-'));
  });

  afterEach(async () => {
    opened?.close();
    opened = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('follows a rotated key file', async () => {
    opened = await openCredentialCipher({ dataDir, logger: silentLogger, keyFilePollMs: 20 });
    const first = opened.keyring.keys[0]!;
    const added = makeKey();

    await replaceKeyFile(path.join(dataDir, 'master.key'), [added, first]);

    await waitFor(() => opened!.cipher.activeKeyId === added.id);
    expect(opened.cipher.keyIds).toEqual([added.id, first.id]);
  });

  it('reads a new key on first use', async () => {
    opened = await openCredentialCipher({ dataDir, logger: silentLogger, keyFilePollMs: 60_000 });
    const first = opened.keyring.keys[0]!;
    const added = makeKey();
    const envelope = createCredentialCipher({ keys: [added], activeKeyId: added.id }).encrypt('conn_a', { token: 'value' });
    // Waits past the poll at start, so only the decrypt can see the change.
    await new Promise((resolve) => setTimeout(resolve, 50));

    await replaceKeyFile(path.join(dataDir, 'master.key'), [added, first]);

    expect(opened.cipher.decrypt('conn_a', envelope)).toEqual({ token: 'value' });
    expect(opened.cipher.activeKeyId).toBe(added.id);
  });

  it.skipIf(!POSIX)('writes the key file with 0600', async () => {
    opened = await openCredentialCipher({ dataDir, logger: silentLogger, keyFilePollMs: 60_000 });

    await replaceKeyFile(path.join(dataDir, 'master.key'), [makeKey(), opened.keyring.keys[0]!]);

    expect((await stat(path.join(dataDir, 'master.key'))).mode & 0o777).toBe(0o600);
  });

  it('ignores the file for environment keys', async () => {
    const key = randomBytes(32);

    opened = await openCredentialCipher({ masterKey: key.toString('base64'), dataDir, logger: silentLogger });

    expect(opened.keyring.source).toBe('environment');
    expect(opened.cipher.activeKeyId).toBe(deriveKeyId(key));
  });
});

import { createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isLumioError, type LumioError } from '../errors/index.js';
import { createCredentialCipher } from './credential-cipher.js';
import type { CredentialEnvelope } from './credential-envelope.js';
import { deriveKeyId } from './key-id.js';

const SECRET = 'sk_live_very_secret_value';

function makeKey() {
  const key = randomBytes(32);
  return { id: deriveKeyId(key), key };
}

function catchError(action: () => unknown): LumioError {
  try {
    action();
  } catch (error) {
    if (isLumioError(error)) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the action to throw');
}

function flipFirstByte(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

describe('createCredentialCipher', () => {
  it('round-trips a credentials object', () => {
    const key = makeKey();
    const cipher = createCredentialCipher({ keys: [key], activeKeyId: key.id });
    const credentials = { apiKey: SECRET, nested: { refreshToken: 'r-ü-😀' }, expiresAt: 1700000000 };

    const envelope = cipher.encrypt('conn_a', credentials);

    expect(cipher.decrypt('conn_a', envelope)).toEqual(credentials);
  });

  it('writes AES-256-GCM with connection id as AAD', () => {
    const key = makeKey();
    const cipher = createCredentialCipher({ keys: [key], activeKeyId: key.id });

    const envelope = cipher.encrypt('conn_a', { apiKey: SECRET });

    // Independent decryption with node:crypto checks the wire format, not only the round trip.
    const nonce = Buffer.from(envelope.nonce, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key.key, nonce);
    decipher.setAAD(Buffer.from('conn_a', 'utf8'));
    decipher.setAuthTag(Buffer.from(envelope.authTag, 'base64'));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, 'base64')), decipher.final()]).toString('utf8');
    expect(JSON.parse(plaintext)).toEqual({ apiKey: SECRET });
    expect(nonce).toHaveLength(12);
    expect(Buffer.from(envelope.authTag, 'base64')).toHaveLength(16);
    expect(envelope.keyId).toBe(key.id);
  });

  it('uses a fresh nonce per encryption', () => {
    const key = makeKey();
    const cipher = createCredentialCipher({ keys: [key], activeKeyId: key.id });

    const first = cipher.encrypt('conn_a', { apiKey: SECRET });
    const second = cipher.encrypt('conn_a', { apiKey: SECRET });

    expect(first.nonce).not.toBe(second.nonce);
    expect(first.ciphertext).not.toBe(second.ciphertext);
  });

  it('rejects tampered ciphertext', () => {
    const key = makeKey();
    const cipher = createCredentialCipher({ keys: [key], activeKeyId: key.id });
    const envelope = cipher.encrypt('conn_a', { apiKey: SECRET });

    const error = catchError(() => cipher.decrypt('conn_a', { ...envelope, ciphertext: flipFirstByte(envelope.ciphertext) }));

    expect(error.code).toBe('CREDENTIALS_DECRYPT_FAILED');
    expect(error.message).not.toContain(SECRET);
  });

  it('rejects tampered tag and nonce', () => {
    const key = makeKey();
    const cipher = createCredentialCipher({ keys: [key], activeKeyId: key.id });
    const envelope = cipher.encrypt('conn_a', { apiKey: SECRET });

    expect(catchError(() => cipher.decrypt('conn_a', { ...envelope, authTag: flipFirstByte(envelope.authTag) })).code).toBe('CREDENTIALS_DECRYPT_FAILED');
    expect(catchError(() => cipher.decrypt('conn_a', { ...envelope, nonce: flipFirstByte(envelope.nonce) })).code).toBe('CREDENTIALS_DECRYPT_FAILED');
  });

  it('rejects malformed envelope fields', () => {
    const key = makeKey();
    const cipher = createCredentialCipher({ keys: [key], activeKeyId: key.id });
    const envelope = cipher.encrypt('conn_a', { apiKey: SECRET });
    const malformed: CredentialEnvelope[] = [
      { ...envelope, nonce: 'not base64!' },
      { ...envelope, nonce: Buffer.alloc(8).toString('base64') },
      { ...envelope, authTag: Buffer.alloc(8).toString('base64') },
      { ...envelope, ciphertext: 'abc' },
    ];

    for (const candidate of malformed) {
      expect(catchError(() => cipher.decrypt('conn_a', candidate)).code).toBe('CREDENTIALS_DECRYPT_FAILED');
    }
  });

  it('rejects another connection id', () => {
    const key = makeKey();
    const cipher = createCredentialCipher({ keys: [key], activeKeyId: key.id });
    const envelope = cipher.encrypt('conn_a', { apiKey: SECRET });

    const error = catchError(() => cipher.decrypt('conn_b', envelope));

    expect(error.code).toBe('CREDENTIALS_DECRYPT_FAILED');
    expect(error.message).toContain('conn_b');
    expect(error.message).not.toContain(SECRET);
  });

  it('rejects a wrong key with same id', () => {
    const key = makeKey();
    const encrypting = createCredentialCipher({ keys: [key], activeKeyId: key.id });
    const other = { id: key.id, key: randomBytes(32) };
    const decrypting = createCredentialCipher({ keys: [other], activeKeyId: other.id });
    const envelope = encrypting.encrypt('conn_a', { apiKey: SECRET });

    const error = catchError(() => decrypting.decrypt('conn_a', envelope));

    expect(error.code).toBe('CREDENTIALS_DECRYPT_FAILED');
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(key.key.toString('base64'));
  });

  it('rejects an unknown key id', () => {
    const key = makeKey();
    const other = makeKey();
    const encrypting = createCredentialCipher({ keys: [key], activeKeyId: key.id });
    const decrypting = createCredentialCipher({ keys: [other], activeKeyId: other.id });
    const envelope = encrypting.encrypt('conn_a', { apiKey: SECRET });

    const error = catchError(() => decrypting.decrypt('conn_a', envelope));

    expect(error.code).toBe('CREDENTIALS_DECRYPT_FAILED');
    expect(error.message).toContain(key.id);
  });

  it('decrypts with a retired key', () => {
    const oldKey = makeKey();
    const newKey = makeKey();
    const before = createCredentialCipher({ keys: [oldKey], activeKeyId: oldKey.id });
    const after = createCredentialCipher({ keys: [oldKey, newKey], activeKeyId: newKey.id });
    const envelope = before.encrypt('conn_a', { apiKey: SECRET });

    expect(after.decrypt('conn_a', envelope)).toEqual({ apiKey: SECRET });
    expect(after.encrypt('conn_a', { apiKey: SECRET }).keyId).toBe(newKey.id);
  });

  it('rejects invalid key configuration', () => {
    const key = makeKey();

    expect(catchError(() => createCredentialCipher({ keys: [{ id: 'short', key: randomBytes(16) }], activeKeyId: 'short' })).code).toBe('CREDENTIAL_KEY_INVALID');
    expect(catchError(() => createCredentialCipher({ keys: [key, key], activeKeyId: key.id })).code).toBe('CREDENTIAL_KEY_INVALID');
    expect(catchError(() => createCredentialCipher({ keys: [key], activeKeyId: 'missing' })).code).toBe('CREDENTIAL_KEY_INVALID');
  });
});

describe('replaceKeys', () => {
  it('switches the active key', () => {
    const oldKey = makeKey();
    const newKey = makeKey();
    const cipher = createCredentialCipher({ keys: [oldKey], activeKeyId: oldKey.id });
    const before = cipher.encrypt('conn_a', { apiKey: SECRET });

    cipher.replaceKeys({ keys: [newKey, oldKey], activeKeyId: newKey.id });

    expect(cipher.activeKeyId).toBe(newKey.id);
    expect(cipher.keyIds).toEqual([newKey.id, oldKey.id]);
    expect(cipher.encrypt('conn_a', { apiKey: SECRET }).keyId).toBe(newKey.id);
    expect(cipher.decrypt('conn_a', before)).toEqual({ apiKey: SECRET });
  });

  it('forgets a removed key', () => {
    const oldKey = makeKey();
    const newKey = makeKey();
    const cipher = createCredentialCipher({ keys: [newKey, oldKey], activeKeyId: newKey.id });
    const old = createCredentialCipher({ keys: [oldKey], activeKeyId: oldKey.id }).encrypt('conn_a', { apiKey: SECRET });

    cipher.replaceKeys({ keys: [newKey], activeKeyId: newKey.id });

    expect(catchError(() => cipher.decrypt('conn_a', old)).code).toBe('CREDENTIALS_DECRYPT_FAILED');
  });

  it('keeps the old keys on a bad set', () => {
    const key = makeKey();
    const cipher = createCredentialCipher({ keys: [key], activeKeyId: key.id });

    expect(catchError(() => cipher.replaceKeys({ keys: [key], activeKeyId: 'missing' })).code).toBe('CREDENTIAL_KEY_INVALID');
    expect(cipher.activeKeyId).toBe(key.id);
  });

  it('asks for an unknown key id once', () => {
    const oldKey = makeKey();
    const newKey = makeKey();
    const envelope = createCredentialCipher({ keys: [newKey], activeKeyId: newKey.id }).encrypt('conn_a', { apiKey: SECRET });
    const asked: string[] = [];
    const cipher = createCredentialCipher({
      keys: [oldKey],
      activeKeyId: oldKey.id,
      onUnknownKeyId: (keyId) => {
        asked.push(keyId);
        cipher.replaceKeys({ keys: [newKey, oldKey], activeKeyId: newKey.id });
      },
    });

    expect(cipher.decrypt('conn_a', envelope)).toEqual({ apiKey: SECRET });
    expect(asked).toEqual([newKey.id]);
    expect(cipher.decrypt('conn_a', envelope)).toEqual({ apiKey: SECRET });
    expect(asked).toHaveLength(1);
  });
});

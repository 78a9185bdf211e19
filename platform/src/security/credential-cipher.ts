import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { LumioError } from '../errors/index.js';
import type { CredentialEnvelope } from './credential-envelope.js';

/** A 256-bit AES key and its id. */
export interface CredentialKey {
  id: string;
  key: Buffer;
}

export interface CredentialKeySet {
  /** Every key that may have encrypted a stored envelope. Old keys stay listed until their envelopes are re-encrypted. */
  keys: CredentialKey[];
  /** Id of the key new envelopes are encrypted with. */
  activeKeyId: string;
}

export interface CredentialCipherOptions extends CredentialKeySet {
  /**
   * Called before decrypt fails on an envelope whose key id is not configured. It may call
   * `replaceKeys` (for example after re-reading the key file that another process rotated),
   * and the lookup is then tried once more.
   */
  onUnknownKeyId?: (keyId: string) => void;
}

export interface CredentialCipher {
  /** Id of the key `encrypt` uses now; it changes when `replaceKeys` installs another active key. */
  readonly activeKeyId: string;
  /** Ids of every configured key, the active one included. */
  readonly keyIds: readonly string[];
  /** Encrypts a credentials object for one connection. */
  encrypt(connectionId: string, credentials: Record<string, unknown>): CredentialEnvelope;
  /** Raises CREDENTIALS_DECRYPT_FAILED when the key is unknown or the envelope was changed or belongs to another connection. */
  decrypt(connectionId: string, envelope: CredentialEnvelope): Record<string, unknown>;
  /**
   * Installs another key set, checked like the constructor's, for a running process whose
   * master keys were rotated. Encryptions in progress finish with the key they started with.
   */
  replaceKeys(keySet: CredentialKeySet): void;
}

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
/**
 * GCM is specified for 96-bit nonces. With random nonces NIST SP 800-38D allows 2^32
 * encryptions per key, far more than credential writes will ever reach.
 */
const NONCE_BYTES = 12;
const AUTH_TAG_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function invalidKeyError(message: string): LumioError {
  return new LumioError('CREDENTIAL_KEY_INVALID', message, { status: 500, fault: 'platform' });
}

function decryptError(connectionId: string, reason: string, cause?: unknown): LumioError {
  return new LumioError('CREDENTIALS_DECRYPT_FAILED', `Decrypting the credentials of connection "${connectionId}" failed ${reason}`, {
    status: 500,
    fault: 'platform',
    details: { connectionId },
    cause,
  });
}

function decodeBase64(value: unknown): Buffer | null {
  if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value)) {
    return null;
  }
  return Buffer.from(value, 'base64');
}

/**
 * Creates an AES-256-GCM cipher for connection credentials. Each envelope has a random
 * 12-byte nonce and is bound to its connection: the connection id (UTF-8) is the
 * additional authenticated data, so an envelope copied to another connection fails to decrypt.
 */
export function createCredentialCipher(options: CredentialCipherOptions): CredentialCipher {
  let current = checkKeySet(options);

  function findKey(keyId: string): Buffer | undefined {
    const key = current.keys.get(keyId);
    if (key || !options.onUnknownKeyId) return key;

    options.onUnknownKeyId(keyId);
    return current.keys.get(keyId);
  }

  return {
    get activeKeyId() {
      return current.activeKeyId;
    },

    get keyIds() {
      return [...current.keys.keys()];
    },

    replaceKeys(keySet) {
      current = checkKeySet(keySet);
    },

    encrypt(connectionId, credentials) {
      const { activeKeyId, activeKey } = current;
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv(ALGORITHM, activeKey, nonce, { authTagLength: AUTH_TAG_BYTES });
      cipher.setAAD(Buffer.from(connectionId, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
      return {
        keyId: activeKeyId,
        nonce: nonce.toString('base64'),
        ciphertext: ciphertext.toString('base64'),
        authTag: cipher.getAuthTag().toString('base64'),
      };
    },

    decrypt(connectionId, envelope) {
      const key = findKey(envelope.keyId);
      if (!key) {
        throw decryptError(connectionId, `because they were encrypted with key "${envelope.keyId}", which is not configured; restore that master key.`);
      }

      const nonce = decodeBase64(envelope.nonce);
      const ciphertext = decodeBase64(envelope.ciphertext);
      const authTag = decodeBase64(envelope.authTag);
      if (!nonce || nonce.length !== NONCE_BYTES || !ciphertext || !authTag || authTag.length !== AUTH_TAG_BYTES) {
        throw decryptError(connectionId, 'because the stored envelope is malformed; reconnect the connection to store new credentials.');
      }

      let plaintext: string;
      try {
        const decipher = createDecipheriv(ALGORITHM, key, nonce, { authTagLength: AUTH_TAG_BYTES });
        decipher.setAAD(Buffer.from(connectionId, 'utf8'));
        decipher.setAuthTag(authTag);
        plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch (error) {
        // The cause is OpenSSL's generic authentication failure, which contains no secret.
        throw decryptError(connectionId, 'because the envelope failed authentication; it was changed, belongs to another connection or was encrypted with another key.', error);
      }

      const credentials: unknown = JSON.parse(plaintext);
      if (credentials === null || typeof credentials !== 'object' || Array.isArray(credentials)) {
        throw decryptError(connectionId, 'because the decrypted value is not a JSON object; reconnect the connection to store new credentials.');
      }
      return credentials as Record<string, unknown>;
    },
  };
}

interface CheckedKeySet {
  keys: Map<string, Buffer>;
  activeKeyId: string;
  activeKey: Buffer;
}

function checkKeySet(keySet: CredentialKeySet): CheckedKeySet {
  const keys = new Map<string, Buffer>();
  for (const { id, key } of keySet.keys) {
    if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
      throw invalidKeyError(`Credential key "${id}" is not ${KEY_BYTES} bytes long; AES-256 needs a 32-byte key.`);
    }
    if (keys.has(id)) {
      throw invalidKeyError(`Credential key id "${id}" is listed twice; give each key its own id.`);
    }
    keys.set(id, key);
  }

  const activeKey = keys.get(keySet.activeKeyId);
  if (!activeKey) {
    throw invalidKeyError(`The active credential key id "${keySet.activeKeyId}" is not among the configured keys; add that key or choose another active id.`);
  }
  return { keys, activeKeyId: keySet.activeKeyId, activeKey };
}

import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import { LumioError } from '../errors/index.js';
import type { Logger } from '../observability/index.js';
import type { CredentialKey } from './credential-cipher.js';
import { createKeyFile, decodeMasterKey, MASTER_KEY_BYTES, readKeyFile } from './key-file.js';
import { deriveKeyId } from './key-id.js';

export const MASTER_KEY_FILE_NAME = 'master.key';
const GENERATE_HINT = 'generate one with `openssl rand -base64 32`';

/** The master keys that encrypt stored secrets, and which one encrypts new envelopes. */
export interface MasterKeyring {
  /** Every configured key, the active one first. Each id is a short hash of its key (see `deriveKeyId`). */
  keys: CredentialKey[];
  activeKeyId: string;
  source: 'environment' | 'file';
  /** Path of the key file, or null when the keys came from the environment. */
  path: string | null;
}

export interface LoadMasterKeysOptions {
  /** Base64 keys from LUMIO_MASTER_KEYS, the active one first. Empty or unset: see `masterKey`. */
  masterKeys?: readonly string[];
  /** Base64 of 32 bytes, normally the value of LUMIO_MASTER_KEY. Empty or unset: use the key file. */
  masterKey?: string;
  /** Folder of `master.key`, created when missing. */
  dataDir: string;
  logger: Logger;
}

/** Returns the path of the key file in a data folder. */
export function masterKeyFilePath(dataDir: string): string {
  return path.join(dataDir, MASTER_KEY_FILE_NAME);
}

/**
 * Loads the master keys: from LUMIO_MASTER_KEYS (several keys, the first active), else
 * from LUMIO_MASTER_KEY (one key), else from `<dataDir>/master.key`, which is created with
 * one new key and mode 0600 on first start. An existing key file readable by group or
 * others is rejected.
 */
export async function loadMasterKeys(options: LoadMasterKeysOptions): Promise<MasterKeyring> {
  const { logger } = options;

  if (options.masterKeys !== undefined && options.masterKeys.length > 0) {
    const keys = decodeEnvironmentKeys(options.masterKeys);
    const activeKeyId = keys[0]!.id;
    logger.info({ activeKeyId, keyIds: keys.map((entry) => entry.id) }, 'using the master keys from LUMIO_MASTER_KEYS');
    return { keys, activeKeyId, source: 'environment', path: null };
  }

  if (options.masterKey !== undefined && options.masterKey.trim() !== '') {
    const key = decodeMasterKey(options.masterKey);
    if (!key) {
      throw new LumioError('MASTER_KEY_INVALID', `LUMIO_MASTER_KEY is not base64 of exactly ${MASTER_KEY_BYTES} bytes; ${GENERATE_HINT}, or restore the key that encrypted the stored credentials.`);
    }
    const id = deriveKeyId(key);
    logger.info({ keyId: id }, 'using the master key from LUMIO_MASTER_KEY');
    return { keys: [{ id, key }], activeKeyId: id, source: 'environment', path: null };
  }
  if (options.masterKey !== undefined) {
    logger.warn('LUMIO_MASTER_KEY is set but empty, so the master key file is used instead');
  }

  const filePath = masterKeyFilePath(options.dataDir);
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const created = await createKeyFile(filePath);
  if (created) {
    const activeKeyId = created[0]!.id;
    logger.warn({ keyId: activeKeyId, path: filePath }, 'created a new master key file; back it up, because stored credentials cannot be decrypted without it');
    return { keys: created, activeKeyId, source: 'file', path: filePath };
  }

  const keys = await readKeyFile(filePath);
  const activeKeyId = keys[0]!.id;
  logger.info({ activeKeyId, keyIds: keys.map((entry) => entry.id), path: filePath }, 'loaded the master key file');
  return { keys, activeKeyId, source: 'file', path: filePath };
}

function decodeEnvironmentKeys(texts: readonly string[]): CredentialKey[] {
  const keys: CredentialKey[] = [];
  for (const [index, text] of texts.entries()) {
    const key = decodeMasterKey(text);
    if (!key) {
      throw new LumioError('MASTER_KEY_INVALID', `Entry ${index + 1} of LUMIO_MASTER_KEYS is not base64 of exactly ${MASTER_KEY_BYTES} bytes; ${GENERATE_HINT}.`, {
        details: { variable: 'LUMIO_MASTER_KEYS', entry: index + 1 },
      });
    }
    const id = deriveKeyId(key);
    if (keys.some((existing) => existing.id === id)) {
      throw new LumioError('MASTER_KEY_INVALID', `LUMIO_MASTER_KEYS lists key ${id} twice; list each key once, the active one first.`, { details: { variable: 'LUMIO_MASTER_KEYS' } });
    }
    keys.push({ id, key });
  }
  return keys;
}

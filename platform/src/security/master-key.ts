import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LumioError } from '../errors/index.js';
import type { Logger } from '../observability/index.js';
import { deriveKeyId } from './key-id.js';

export const MASTER_KEY_FILE_NAME = 'master.key';
const MASTER_KEY_BYTES = 32;
/** Standard or URL-safe base64 with optional padding. Node's decoder accepts both alphabets. */
const BASE64_TEXT = /^[A-Za-z0-9+/_-]+={0,2}$/;
const GENERATE_HINT = 'generate one with `openssl rand -base64 32`';

export interface MasterKey {
  /** Short hash of the key (see `deriveKeyId`), stored with every envelope it encrypts. */
  id: string;
  key: Buffer;
  source: 'environment' | 'file';
  /** Path of the key file, or null when the key came from the environment. */
  path: string | null;
}

export interface LoadMasterKeyOptions {
  /** Base64 of 32 bytes, normally the value of LUMIO_MASTER_KEY. Empty or unset: use the key file. */
  masterKey?: string;
  /** Folder of `master.key`, created when missing. */
  dataDir: string;
  logger: Logger;
}

function decodeKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (!BASE64_TEXT.test(trimmed)) {
    return null;
  }
  const key = Buffer.from(trimmed, 'base64');
  return key.length === MASTER_KEY_BYTES ? key : null;
}

async function readKeyFile(filePath: string): Promise<Buffer> {
  const stats = await stat(filePath);
  if (!stats.isFile()) {
    throw new LumioError('MASTER_KEY_FILE_INVALID', `The master key path ${filePath} is not a regular file; remove it so Lumio can create the key file, or set LUMIO_MASTER_KEY.`, {
      details: { path: filePath },
    });
  }

  // NOTE: Windows has no POSIX permission bits, so this check only runs elsewhere.
  const groupAndOtherBits = stats.mode & 0o077;
  if (process.platform !== 'win32' && groupAndOtherBits !== 0) {
    const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
    throw new LumioError(
      'MASTER_KEY_FILE_TOO_OPEN',
      `The master key file ${filePath} has mode ${mode}, so other users can read it; run \`chmod 600 ${filePath}\` and start Lumio again.`,
      { details: { path: filePath, mode } },
    );
  }

  const key = decodeKey(await readFile(filePath, 'utf8'));
  if (!key) {
    throw new LumioError(
      'MASTER_KEY_FILE_INVALID',
      `The master key file ${filePath} does not contain base64 of exactly ${MASTER_KEY_BYTES} bytes; restore it from your backup (credentials stored with it cannot be decrypted otherwise).`,
      { details: { path: filePath } },
    );
  }
  return key;
}

/** Creates the key file with mode 0600. Returns null when another process created it first. */
async function createKeyFile(filePath: string): Promise<Buffer | null> {
  const key = randomBytes(MASTER_KEY_BYTES);
  let handle;
  try {
    handle = await open(filePath, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return null;
    }
    throw error;
  }

  try {
    await handle.writeFile(`${key.toString('base64')}\n`, 'utf8');
    // Losing this key loses every stored credential, so it is flushed to disk before use.
    await handle.sync();
  } finally {
    await handle.close();
  }
  return key;
}

/**
 * Loads the master key that encrypts connection credentials: from `masterKey` when given,
 * otherwise from `<dataDir>/master.key`, which is created with mode 0600 on first start.
 * An existing key file readable by group or others is rejected.
 */
export async function loadMasterKey(options: LoadMasterKeyOptions): Promise<MasterKey> {
  const { logger } = options;

  if (options.masterKey !== undefined && options.masterKey.trim() !== '') {
    const key = decodeKey(options.masterKey);
    if (!key) {
      throw new LumioError('MASTER_KEY_INVALID', `LUMIO_MASTER_KEY is not base64 of exactly ${MASTER_KEY_BYTES} bytes; ${GENERATE_HINT}, or restore the key that encrypted the stored credentials.`);
    }
    const id = deriveKeyId(key);
    logger.info({ keyId: id }, 'using the master key from LUMIO_MASTER_KEY');
    return { id, key, source: 'environment', path: null };
  }
  if (options.masterKey !== undefined) {
    logger.warn('LUMIO_MASTER_KEY is set but empty, so the master key file is used instead');
  }

  const filePath = path.join(options.dataDir, MASTER_KEY_FILE_NAME);
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const created = await createKeyFile(filePath);
  if (created) {
    const id = deriveKeyId(created);
    logger.warn({ keyId: id, path: filePath }, 'created a new master key file; back it up, because stored credentials cannot be decrypted without it');
    return { id, key: created, source: 'file', path: filePath };
  }

  const key = await readKeyFile(filePath);
  const id = deriveKeyId(key);
  logger.info({ keyId: id, path: filePath }, 'loaded the master key file');
  return { id, key, source: 'file', path: filePath };
}

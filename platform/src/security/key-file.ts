import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

import { LumioError } from '../errors/index.js';
import type { CredentialKey } from './credential-cipher.js';
import { deriveKeyId } from './key-id.js';

export const MASTER_KEY_BYTES = 32;
/** Standard or URL-safe base64 with optional padding. Node's decoder accepts both alphabets. */
const BASE64_TEXT = /^[A-Za-z0-9+/_-]+={0,2}$/;

const FILE_HEADER = [
  '# Lumio master keys, base64 of 32 bytes each, one per line.',
  '# The first key encrypts; every key listed decrypts. `npm run lumio -- rotate-master-key`',
  '# adds a key at the top, and `--retire <key id>` removes one that no stored row uses.',
];

/** Decodes base64 of exactly 32 bytes, or returns null. */
export function decodeMasterKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (!BASE64_TEXT.test(trimmed)) return null;

  const key = Buffer.from(trimmed, 'base64');
  return key.length === MASTER_KEY_BYTES ? key : null;
}

export function generateMasterKey(): Buffer {
  return randomBytes(MASTER_KEY_BYTES);
}

/**
 * Parses a key file: one base64 key per line, newest first, with blank lines and lines
 * starting with `#` ignored. A file written before rotation existed holds a single line,
 * which parses as a keyring of one key.
 */
export function parseKeyFile(text: string, filePath: string): CredentialKey[] {
  const keys: CredentialKey[] = [];
  const lines = text.split(/\r?\n/);

  for (const [index, line] of lines.entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;

    const key = decodeMasterKey(trimmed);
    if (!key) {
      throw new LumioError(
        'MASTER_KEY_FILE_INVALID',
        `Line ${index + 1} of the master key file ${filePath} is not base64 of exactly ${MASTER_KEY_BYTES} bytes; restore the file from your backup (credentials stored with a lost key cannot be decrypted).`,
        { details: { path: filePath, line: index + 1 } },
      );
    }
    const id = deriveKeyId(key);
    if (!keys.some((existing) => existing.id === id)) keys.push({ id, key });
  }

  if (keys.length === 0) {
    throw new LumioError('MASTER_KEY_FILE_INVALID', `The master key file ${filePath} contains no key; restore it from your backup.`, { details: { path: filePath } });
  }
  return keys;
}

export function formatKeyFile(keys: readonly CredentialKey[]): string {
  return [...FILE_HEADER, ...keys.map((entry) => entry.key.toString('base64')), ''].join('\n');
}

/**
 * Rejects a key file that is not a regular file or that group or others may read.
 * NOTE: Windows has no POSIX permission bits, so the mode check only runs elsewhere.
 */
export function checkKeyFileStats(stats: Stats, filePath: string): void {
  if (!stats.isFile()) {
    throw new LumioError('MASTER_KEY_FILE_INVALID', `The master key path ${filePath} is not a regular file; remove it so Lumio can create the key file, or set LUMIO_MASTER_KEY.`, {
      details: { path: filePath },
    });
  }

  const groupAndOtherBits = stats.mode & 0o077;
  if (process.platform !== 'win32' && groupAndOtherBits !== 0) {
    const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
    throw new LumioError(
      'MASTER_KEY_FILE_TOO_OPEN',
      `The master key file ${filePath} has mode ${mode}, so other users can read it; run \`chmod 600 ${filePath}\` and start Lumio again.`,
      { details: { path: filePath, mode } },
    );
  }
}

export async function readKeyFile(filePath: string): Promise<CredentialKey[]> {
  checkKeyFileStats(await stat(filePath), filePath);
  return parseKeyFile(await readKeyText(filePath), filePath);
}

/** Reads the key file synchronously, for a decrypt call that meets a key id it does not hold yet. */
export function readKeyFileSync(filePath: string): CredentialKey[] {
  checkKeyFileStats(statSync(filePath), filePath);
  return parseKeyFile(readFileSync(filePath, 'utf8'), filePath);
}

async function readKeyText(filePath: string): Promise<string> {
  const handle = await open(filePath, 'r');
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Creates the key file with one new key and mode 0600. Returns null when the file exists,
 * for example because another process created it first.
 */
export async function createKeyFile(filePath: string): Promise<CredentialKey[] | null> {
  const key = generateMasterKey();
  let handle;
  try {
    handle = await open(filePath, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw error;
  }

  try {
    await handle.writeFile(formatKeyFile([{ id: deriveKeyId(key), key }]), 'utf8');
    // Losing this key loses every stored credential, so it is flushed to disk before use.
    await handle.sync();
  } finally {
    await handle.close();
  }
  return [{ id: deriveKeyId(key), key }];
}

/**
 * Replaces the key file's keys. The new content goes to a temporary file with mode 0600 in
 * the same folder, is flushed, and is renamed over the old file, so a reader sees the old
 * or the new keyring and never a partial one.
 */
export async function replaceKeyFile(filePath: string, keys: readonly CredentialKey[]): Promise<void> {
  const temporary = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(formatKeyFile(keys), 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();

  await rename(temporary, filePath);
  await syncFolder(path.dirname(filePath));
}

/** Flushes a rename to disk. Some platforms cannot open a folder for fsync, which is then skipped. */
async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Windows rejects opening a folder; the rename is still durable there once the OS flushes it.
  } finally {
    await handle?.close();
  }
}

import { stat } from 'node:fs/promises';

import type { Logger } from '../observability/index.js';
import { createCredentialCipher, type CredentialCipher, type CredentialKey } from './credential-cipher.js';
import { readKeyFile, readKeyFileSync } from './key-file.js';
import { loadMasterKeys, type LoadMasterKeysOptions, type MasterKeyring } from './master-key.js';

/** How often a process checks whether the key file changed, in milliseconds. */
export const DEFAULT_KEY_FILE_POLL_MS = 2_000;
/**
 * Shortest time between two synchronous re-reads of the key file after a decrypt met an
 * unknown key id, in milliseconds, so rows naming a removed key cannot make every read hit the disk.
 */
const UNKNOWN_KEY_RELOAD_INTERVAL_MS = 1_000;

export interface OpenCredentialCipherOptions extends LoadMasterKeysOptions {
  /** How often to check the key file for a rotation, in milliseconds. Default 2000. */
  keyFilePollMs?: number;
}

export interface OpenedCredentialCipher {
  cipher: CredentialCipher;
  /** The keyring as loaded at start; `cipher.keyIds` and `cipher.activeKeyId` show the current keys. */
  keyring: MasterKeyring;
  /** Stops watching the key file. */
  close(): void;
}

/**
 * Loads the master keys and creates the credential cipher. When the keys come from the key
 * file, the cipher follows a rotation made by another process (`lumio rotate-master-key`)
 * without a restart: the file is checked every `keyFilePollMs`, and a decrypt that meets a
 * key id it does not hold re-reads the file at once. Keys from the environment never change
 * while the process runs.
 */
export async function openCredentialCipher(options: OpenCredentialCipherOptions): Promise<OpenedCredentialCipher> {
  const { logger } = options;
  const keyring = await loadMasterKeys(options);
  const filePath = keyring.path;
  if (filePath === null) {
    const cipher = createCredentialCipher({ keys: keyring.keys, activeKeyId: keyring.activeKeyId });
    return { cipher, keyring, close: () => undefined };
  }

  let lastUnknownKeyReload = 0;
  const install = (keys: CredentialKey[], reason: string) => {
    const activeKeyId = keys[0]!.id;
    const changed = activeKeyId !== cipher.activeKeyId || keys.length !== cipher.keyIds.length || keys.some((entry) => !cipher.keyIds.includes(entry.id));
    if (!changed) return;

    cipher.replaceKeys({ keys, activeKeyId });
    logger.info({ activeKeyId, keyIds: keys.map((entry) => entry.id), path: filePath, reason }, 'reloaded the master key file');
  };

  const cipher = createCredentialCipher({
    keys: keyring.keys,
    activeKeyId: keyring.activeKeyId,
    onUnknownKeyId: (keyId) => {
      const now = Date.now();
      if (now - lastUnknownKeyReload < UNKNOWN_KEY_RELOAD_INTERVAL_MS) return;
      lastUnknownKeyReload = now;

      try {
        install(readKeyFileSync(filePath), `a stored envelope names key ${keyId}`);
      } catch (error) {
        logger.error({ err: error, path: filePath, keyId }, 're-reading the master key file failed; the keys loaded before stay in use');
      }
    },
  });

  const watcher = watchKeyFile(filePath, options.keyFilePollMs ?? DEFAULT_KEY_FILE_POLL_MS, logger, (keys) => install(keys, 'the key file changed'));
  return { cipher, keyring, close: () => watcher.stop() };
}

/** Polls the key file's identity (inode, size, modification time) and passes its keys on after a change. */
function watchKeyFile(filePath: string, intervalMs: number, logger: Logger, onChange: (keys: CredentialKey[]) => void): { stop(): void } {
  let previous: string | undefined;
  let lastError: string | undefined;
  let running = false;

  const check = async () => {
    if (running) return;
    running = true;
    try {
      const stats = await stat(filePath);
      const identity = `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
      if (identity === previous) return;

      // The first check reads the file too, in case it changed after the keys were loaded.
      previous = identity;
      onChange(await readKeyFile(filePath));
      lastError = undefined;
    } catch (error) {
      // Logged once per distinct failure, so a broken file does not log every interval.
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastError) logger.error({ err: error, path: filePath }, 'checking the master key file failed; the keys loaded before stay in use');
      lastError = message;
      previous = undefined;
    } finally {
      running = false;
    }
  };

  void check();
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

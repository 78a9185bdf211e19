import { LumioError } from '../../errors/index.js';
import type { Logger } from '../../observability/index.js';
import type { Store } from '../../store/index.js';
import { replaceKeyFile } from '../key-file.js';
import { loadMasterKeys, type LoadMasterKeysOptions } from '../master-key.js';

export interface RetireMasterKeyOptions extends LoadMasterKeysOptions {
  store: Pick<Store, 'envelopes'>;
  keyId: string;
}

export interface RetireReport {
  keyId: string;
  /** True when the key was removed from the key file; false when the operator must remove it from LUMIO_MASTER_KEYS. */
  removedFromFile: boolean;
  path: string | null;
  /** Keys still configured afterwards, the active one first. */
  remainingKeyIds: string[];
}

/**
 * Removes a master key that no stored row uses any more. Rejects the active key, a key that
 * is not configured, and a key that rows still name, so retiring never makes a stored
 * secret unreadable. Keys from LUMIO_MASTER_KEYS are only checked, because the environment
 * of running processes cannot be changed from here.
 */
export async function retireMasterKey(options: RetireMasterKeyOptions & { logger: Logger }): Promise<RetireReport> {
  const { store, keyId, logger } = options;
  const keyring = await loadMasterKeys(options);
  const configured = keyring.keys.map((entry) => entry.id);

  if (!configured.includes(keyId)) {
    throw new LumioError('MASTER_KEY_NOT_FOUND', `No configured master key has id ${keyId}; the configured ids are ${configured.join(', ')}.`, { status: 404, fault: 'caller' });
  }
  if (keyId === keyring.activeKeyId) {
    throw new LumioError('MASTER_KEY_ACTIVE', `Key ${keyId} is the active master key, so it cannot be retired; rotate to a new key first with \`npm run lumio -- rotate-master-key\`.`, {
      status: 409,
      fault: 'caller',
    });
  }

  const inUse = (await store.envelopes.countByKey()).filter((count) => count.keyId === keyId && count.rows > 0);
  if (inUse.length > 0) {
    const where = inUse.map((count) => `${count.rows} in ${count.table}`).join(', ');
    throw new LumioError(
      'MASTER_KEY_IN_USE',
      `Key ${keyId} still encrypts stored rows (${where}); run \`npm run lumio -- rotate-master-key --reencrypt-only\` to move them to the active key, then retire it.`,
      { status: 409, fault: 'caller', details: { keyId, rows: inUse } },
    );
  }

  const remaining = keyring.keys.filter((entry) => entry.id !== keyId);
  if (keyring.source === 'environment' || keyring.path === null) {
    logger.info({ keyId }, 'no stored row uses the master key; remove it from LUMIO_MASTER_KEYS');
    return { keyId, removedFromFile: false, path: null, remainingKeyIds: remaining.map((entry) => entry.id) };
  }

  await replaceKeyFile(keyring.path, remaining);
  logger.warn({ keyId, path: keyring.path, activeKeyId: keyring.activeKeyId }, 'retired a master key: removed it from the key file');
  return { keyId, removedFromFile: true, path: keyring.path, remainingKeyIds: remaining.map((entry) => entry.id) };
}

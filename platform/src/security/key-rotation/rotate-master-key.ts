import { LumioError } from '../../errors/index.js';
import type { Logger } from '../../observability/index.js';
import type { EnvelopeKeyCount, EnvelopeTable, Store } from '../../store/index.js';
import { createCredentialCipher, type CredentialKey } from '../credential-cipher.js';
import { generateMasterKey, replaceKeyFile } from '../key-file.js';
import { deriveKeyId } from '../key-id.js';
import { loadMasterKeys, type LoadMasterKeysOptions, type MasterKeyring } from '../master-key.js';
import { reEncryptEnvelopes, type ReEncryptFailure } from './re-encrypt.js';

export interface RotateMasterKeyOptions extends LoadMasterKeysOptions {
  store: Pick<Store, 'envelopes'>;
  /** The new key to make active; a random one when absent. Only for keys kept in the key file. */
  newKey?: Buffer;
  /** Re-encrypts rows that name an old key, without adding a key (resumes an interrupted rotation). */
  reEncryptOnly?: boolean;
  /** Rows read per query. Default 100. */
  batchSize?: number;
  /** Wait between sweeps, in milliseconds. Default 2500. */
  sweepPauseMs?: number;
}

export interface RotationReport {
  source: MasterKeyring['source'];
  /** Path of the key file, or null for keys from the environment. */
  path: string | null;
  /** True when a key was added to the key file. */
  keyAdded: boolean;
  activeKeyId: string;
  /** Active key before the rotation. */
  previousKeyId: string;
  moved: Record<EnvelopeTable, number>;
  totalMoved: number;
  changedMeanwhile: number;
  failures: ReEncryptFailure[];
  /** Stored rows per key id after the rotation, summed over the tables. */
  rowsByKey: Record<string, number>;
  /** Configured keys other than the active one that no row uses any more. */
  retirableKeyIds: string[];
}

/**
 * Makes a new master key active and re-encrypts every stored envelope with it. With the key
 * file, the new key is written at the top of the file first, so running processes start
 * encrypting with it and can decrypt rows re-encrypted with it (see `openCredentialCipher`).
 * With LUMIO_MASTER_KEYS the operator adds the key there and restarts the processes; this
 * then only re-encrypts to the first key of the list.
 *
 * NOTE: only processes that read this key file follow the rotation. Processes on other
 * machines with their own copy of the file cannot read re-encrypted rows until the new file
 * reaches them, so deployments over several machines should keep keys in LUMIO_MASTER_KEYS.
 */
export async function rotateMasterKey(options: RotateMasterKeyOptions): Promise<RotationReport> {
  const { store, logger } = options;
  const loaded = await loadMasterKeys(options);

  const keyring = options.reEncryptOnly ? loaded : await addActiveKey(loaded, options.newKey, logger);
  const cipher = createCredentialCipher({ keys: keyring.keys, activeKeyId: keyring.activeKeyId });

  const result = await reEncryptEnvelopes({ store, cipher, logger, batchSize: options.batchSize, sweepPauseMs: options.sweepPauseMs });
  const rowsByKey = sumByKey(await store.envelopes.countByKey());
  const retirableKeyIds = keyring.keys.map((entry) => entry.id).filter((id) => id !== keyring.activeKeyId && !rowsByKey[id]);
  const totalMoved = Object.values(result.moved).reduce((sum, count) => sum + count, 0);

  logger.info({ activeKeyId: keyring.activeKeyId, previousKeyId: loaded.activeKeyId, totalMoved, failures: result.failures.length, retirableKeyIds }, 'master key rotation finished');
  return {
    source: keyring.source,
    path: keyring.path,
    keyAdded: keyring !== loaded,
    activeKeyId: keyring.activeKeyId,
    previousKeyId: loaded.activeKeyId,
    moved: result.moved,
    totalMoved,
    changedMeanwhile: result.changedMeanwhile,
    failures: result.failures,
    rowsByKey,
    retirableKeyIds,
  };
}

/** Writes the key file with `newKey` (or a random key) at the top and returns the new keyring. */
async function addActiveKey(keyring: MasterKeyring, newKey: Buffer | undefined, logger: Logger): Promise<MasterKeyring> {
  if (keyring.source === 'environment' || keyring.path === null) {
    if (newKey) {
      throw new LumioError(
        'MASTER_KEY_ROTATION_UNSUPPORTED',
        'The master keys come from the environment, so this command cannot add one; set LUMIO_MASTER_KEYS to the new key followed by the current ones (instead of LUMIO_MASTER_KEY), restart every Lumio process, and run the command again without a key.',
        { status: 400, fault: 'caller' },
      );
    }
    logger.info({ activeKeyId: keyring.activeKeyId }, 'master keys come from the environment; re-encrypting to the first key of LUMIO_MASTER_KEYS');
    return keyring;
  }

  const key = newKey ?? generateMasterKey();
  const added: CredentialKey = { id: deriveKeyId(key), key };
  if (added.id === keyring.activeKeyId) {
    throw new LumioError('MASTER_KEY_ALREADY_ACTIVE', `Key ${added.id} is already the active master key; give another key, or use --reencrypt-only to finish an earlier rotation.`, {
      status: 400,
      fault: 'caller',
    });
  }

  const keys = [added, ...keyring.keys.filter((entry) => entry.id !== added.id)];
  await replaceKeyFile(keyring.path, keys);
  logger.warn({ activeKeyId: added.id, previousKeyId: keyring.activeKeyId, path: keyring.path }, 'added a new active master key to the key file; back the file up now');
  return { ...keyring, keys, activeKeyId: added.id };
}

function sumByKey(counts: readonly EnvelopeKeyCount[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const count of counts) sums[count.keyId] = (sums[count.keyId] ?? 0) + count.rows;
  return sums;
}

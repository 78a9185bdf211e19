import { setTimeout as sleep } from 'node:timers/promises';

import { isLumioError } from '../../errors/index.js';
import type { Logger } from '../../observability/index.js';
import { ENVELOPE_TABLES, type EnvelopeTable, type Store } from '../../store/index.js';
import type { CredentialCipher } from '../credential-cipher.js';
import { ENVELOPE_SCOPES } from '../envelope-scopes.js';

export const DEFAULT_REENCRYPT_BATCH_SIZE = 100;
/** Sweeps over the tables before giving up on rows that other processes keep rewriting with an old key. */
const DEFAULT_MAX_SWEEPS = 5;
/**
 * Wait before another sweep, in milliseconds: a little longer than the key file check of
 * running processes (2 s), so by then they encrypt with the new key.
 */
const DEFAULT_SWEEP_PAUSE_MS = 2_500;

export interface ReEncryptOptions {
  store: Pick<Store, 'envelopes'>;
  /** Encrypts with its active key and decrypts with any key it holds. */
  cipher: CredentialCipher;
  logger: Logger;
  /** Rows read per query. Default 100. */
  batchSize?: number;
  /** Default 5. */
  maxSweeps?: number;
  /** Default 2500 ms. */
  sweepPauseMs?: number;
}

/** A row that could not be re-encrypted, because no configured key decrypts it. */
export interface ReEncryptFailure {
  table: EnvelopeTable;
  id: string;
  keyId: string;
  code: string;
}

export interface ReEncryptResult {
  /** Rows moved to the active key, per table. */
  moved: Record<EnvelopeTable, number>;
  /** Rows another writer replaced while they were re-encrypted; a later sweep picked up any that still named an old key. */
  changedMeanwhile: number;
  failures: ReEncryptFailure[];
  sweeps: number;
}

/**
 * Re-encrypts every envelope that names another key than the cipher's active one. Each row
 * is decrypted, encrypted again and written back by one conditional update, so the
 * platform keeps serving and a row that a connect or token refresh replaced meanwhile is
 * left as that writer stored it. Sweeps repeat while rows keep appearing under old keys,
 * because a process that has not yet noticed the new key may still write with the old one.
 */
export async function reEncryptEnvelopes(options: ReEncryptOptions): Promise<ReEncryptResult> {
  const { store, cipher, logger } = options;
  const batchSize = options.batchSize ?? DEFAULT_REENCRYPT_BATCH_SIZE;
  const maxSweeps = options.maxSweeps ?? DEFAULT_MAX_SWEEPS;
  const sweepPauseMs = options.sweepPauseMs ?? DEFAULT_SWEEP_PAUSE_MS;

  const result: ReEncryptResult = { moved: emptyCounts(), changedMeanwhile: 0, failures: [], sweeps: 0 };
  const failed = new Set<string>();

  while (result.sweeps < maxSweeps) {
    if (result.sweeps > 0) await sleep(sweepPauseMs);
    result.sweeps += 1;

    let touched = 0;
    for (const table of ENVELOPE_TABLES) {
      touched += await sweepTable(table, { store, cipher, logger, batchSize, result, failed });
    }
    logger.info({ sweep: result.sweeps, rowsTouched: touched, activeKeyId: cipher.activeKeyId }, 're-encryption sweep finished');
    if (touched === 0) break;
  }
  return result;
}

interface SweepContext {
  store: Pick<Store, 'envelopes'>;
  cipher: CredentialCipher;
  logger: Logger;
  batchSize: number;
  result: ReEncryptResult;
  /** `table:id` of rows that failed to decrypt, skipped in later sweeps. */
  failed: Set<string>;
}

/** Re-encrypts one table's rows in batches; returns how many rows it moved or found changed. */
async function sweepTable(table: EnvelopeTable, context: SweepContext): Promise<number> {
  const { store, cipher, logger, batchSize, result, failed } = context;
  const scope = ENVELOPE_SCOPES[table];
  let afterId: string | null = null;
  let touched = 0;

  for (;;) {
    const rows = await store.envelopes.listWithOtherKey(table, cipher.activeKeyId, afterId, batchSize);
    if (rows.length === 0) return touched;
    afterId = rows.at(-1)!.id;

    for (const row of rows) {
      if (failed.has(`${table}:${row.id}`)) continue;

      let plaintext: Record<string, unknown>;
      try {
        plaintext = cipher.decrypt(scope(row.id), row.envelope);
      } catch (error) {
        if (!isLumioError(error)) throw error;
        failed.add(`${table}:${row.id}`);
        result.failures.push({ table, id: row.id, keyId: row.envelope.keyId, code: error.code });
        logger.error({ table, rowId: row.id, keyId: row.envelope.keyId, code: error.code }, 'a stored envelope could not be decrypted, so it keeps its old key');
        continue;
      }

      const replaced = await store.envelopes.replaceIfUnchanged(table, row.id, row.envelope, cipher.encrypt(scope(row.id), plaintext));
      touched += 1;
      if (replaced) result.moved[table] += 1;
      else result.changedMeanwhile += 1;
    }

    // Lets requests of a platform running in this process go between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function emptyCounts(): Record<EnvelopeTable, number> {
  return Object.fromEntries(ENVELOPE_TABLES.map((table) => [table, 0])) as Record<EnvelopeTable, number>;
}

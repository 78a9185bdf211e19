import type { CredentialEnvelope } from '../../security/index.js';
import type { StoreContext } from '../store-context.js';
import { readInteger } from '../values.js';

/** Tables that store envelopes of the credential cipher, one envelope per row. */
export type EnvelopeTable = 'credentials' | 'webhook_secrets' | 'event_subscriptions' | 'oauth_states';

interface EnvelopeColumns {
  id: string;
  keyId: string;
  nonce: string;
  ciphertext: string;
  authTag: string;
}

const PLAIN_COLUMNS = { keyId: 'key_id', nonce: 'nonce', ciphertext: 'ciphertext', authTag: 'auth_tag' };

/** Envelope columns of each table. Every table with an envelope column must be listed, or a key rotation would leave its rows behind. */
const ENVELOPE_COLUMNS: Record<EnvelopeTable, EnvelopeColumns> = {
  credentials: { id: 'connection_id', ...PLAIN_COLUMNS },
  webhook_secrets: { id: 'connection_id', ...PLAIN_COLUMNS },
  event_subscriptions: { id: 'id', keyId: 'secret_key_id', nonce: 'secret_nonce', ciphertext: 'secret_ciphertext', authTag: 'secret_auth_tag' },
  oauth_states: { id: 'id', ...PLAIN_COLUMNS },
};

export const ENVELOPE_TABLES = Object.keys(ENVELOPE_COLUMNS) as EnvelopeTable[];

/** One row's envelope; `id` is the row's key (a connection id for credentials and webhook secrets). */
export interface StoredEnvelope {
  id: string;
  envelope: CredentialEnvelope;
}

export interface EnvelopeKeyCount {
  table: EnvelopeTable;
  keyId: string;
  rows: number;
}

/**
 * Envelopes of every encrypted table, read and rewritten without their meaning, for a
 * master key rotation. The services that own each table keep encrypting and decrypting
 * through their own repositories.
 */
export interface EnvelopeRepository {
  /** Counts the rows of each table per key id. */
  countByKey(): Promise<EnvelopeKeyCount[]>;
  /** Lists up to `limit` rows of `table` whose envelope names another key than `keyId`, in id order after `afterId`. */
  listWithOtherKey(table: EnvelopeTable, keyId: string, afterId: string | null, limit: number): Promise<StoredEnvelope[]>;
  /**
   * Replaces a row's envelope when it still is `expected`, in one statement. Returns false
   * when the row was deleted or rewritten since it was read, so a rotation never puts back
   * credentials that a connect or token refresh replaced in the meantime.
   */
  replaceIfUnchanged(table: EnvelopeTable, id: string, expected: CredentialEnvelope, next: CredentialEnvelope): Promise<boolean>;
}

export function createEnvelopeRepository({ knex }: StoreContext): EnvelopeRepository {
  return {
    async countByKey() {
      const counts: EnvelopeKeyCount[] = [];
      for (const table of ENVELOPE_TABLES) {
        const columns = ENVELOPE_COLUMNS[table];
        const rows = (await knex(table).select({ key_id: columns.keyId }).count({ rows: '*' }).groupBy(columns.keyId).orderBy(columns.keyId)) as unknown as { key_id: string; rows: unknown }[];
        for (const row of rows) counts.push({ table, keyId: row.key_id, rows: readInteger(row.rows) });
      }
      return counts;
    },

    async listWithOtherKey(table, keyId, afterId, limit) {
      const columns = ENVELOPE_COLUMNS[table];
      const query = knex(table)
        .select({ id: columns.id, key_id: columns.keyId, nonce: columns.nonce, ciphertext: columns.ciphertext, auth_tag: columns.authTag })
        .whereNot(columns.keyId, keyId)
        .orderBy(columns.id)
        .limit(limit);
      if (afterId !== null) query.where(columns.id, '>', afterId);

      const rows: { id: string; key_id: string; nonce: string; ciphertext: string; auth_tag: string }[] = await query;
      return rows.map((row) => ({ id: row.id, envelope: { keyId: row.key_id, nonce: row.nonce, ciphertext: row.ciphertext, authTag: row.auth_tag } }));
    },

    async replaceIfUnchanged(table, id, expected, next) {
      const columns = ENVELOPE_COLUMNS[table];
      // A nonce is 96 random bits, so key id, nonce and tag together name one encryption.
      const updated = await knex(table)
        .where({ [columns.id]: id, [columns.keyId]: expected.keyId, [columns.nonce]: expected.nonce, [columns.authTag]: expected.authTag })
        .update({ [columns.keyId]: next.keyId, [columns.nonce]: next.nonce, [columns.ciphertext]: next.ciphertext, [columns.authTag]: next.authTag });
      return updated > 0;
    },
  };
}

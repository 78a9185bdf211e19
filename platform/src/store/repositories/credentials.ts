import { LumioError } from '../../errors/index.js';
import type { CredentialEnvelope } from '../../security/index.js';
import { isForeignKeyViolation } from '../database-errors.js';
import type { StoreContext } from '../store-context.js';
import { nowIso } from '../values.js';

/**
 * Encrypted credentials of each connection. The store only keeps envelopes, and the
 * credential cipher in the security module encrypts and decrypts them.
 */
export interface CredentialRepository {
  /** Inserts or replaces the envelope of the connection. */
  saveEncrypted(connectionId: string, envelope: CredentialEnvelope): Promise<void>;
  getEncrypted(connectionId: string): Promise<CredentialEnvelope | null>;
  delete(connectionId: string): Promise<boolean>;
}

interface CredentialRow {
  connection_id: string;
  key_id: string;
  ciphertext: string;
  nonce: string;
  auth_tag: string;
}

export function createCredentialRepository({ knex }: StoreContext): CredentialRepository {
  return {
    async saveEncrypted(connectionId, envelope) {
      try {
        await knex('credentials')
          .insert({
            connection_id: connectionId,
            key_id: envelope.keyId,
            ciphertext: envelope.ciphertext,
            nonce: envelope.nonce,
            auth_tag: envelope.authTag,
            updated_at: nowIso(),
          })
          .onConflict('connection_id')
          .merge();
      } catch (error) {
        if (isForeignKeyViolation(error)) {
          throw new LumioError('CONNECTION_NOT_FOUND', `Connection "${connectionId}" does not exist; create it before saving its credentials.`, { status: 404, fault: 'caller', cause: error });
        }
        throw error;
      }
    },

    async getEncrypted(connectionId) {
      const row = await knex<CredentialRow>('credentials').where({ connection_id: connectionId }).first();
      if (!row) {
        return null;
      }
      return { keyId: row.key_id, nonce: row.nonce, ciphertext: row.ciphertext, authTag: row.auth_tag };
    },

    async delete(connectionId) {
      const deleted = await knex('credentials').where({ connection_id: connectionId }).delete();
      return deleted > 0;
    },
  };
}

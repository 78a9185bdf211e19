import { LumioError } from '../../errors/index.js';
import type { CredentialEnvelope } from '../../security/index.js';
import { isForeignKeyViolation } from '../database-errors.js';
import type { StoreContext } from '../store-context.js';
import { nowIso } from '../values.js';

/**
 * Encrypted webhook signing secrets, one envelope per connection. The caller encrypts
 * the JSON list of the connection's secrets (the current one and any still accepted
 * during a rotation) with the credential cipher, so the store contains no plaintext secret.
 */
export interface WebhookSecretRepository {
  get(connectionId: string): Promise<CredentialEnvelope | null>;
  /** Inserts or replaces the envelope. Raises CONNECTION_NOT_FOUND (404) for an unknown connection. */
  put(connectionId: string, envelope: CredentialEnvelope): Promise<void>;
  /** Deletes the envelope. Returns false when the connection had none. */
  delete(connectionId: string): Promise<boolean>;
}

interface WebhookSecretRow {
  connection_id: string;
  key_id: string;
  ciphertext: string;
  nonce: string;
  auth_tag: string;
}

export function createWebhookSecretRepository({ knex }: StoreContext): WebhookSecretRepository {
  return {
    async get(connectionId) {
      const row = await knex<WebhookSecretRow>('webhook_secrets').where({ connection_id: connectionId }).first();
      if (!row) {
        return null;
      }
      return { keyId: row.key_id, nonce: row.nonce, ciphertext: row.ciphertext, authTag: row.auth_tag };
    },

    async put(connectionId, envelope) {
      try {
        await knex('webhook_secrets')
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
          throw new LumioError('CONNECTION_NOT_FOUND', `Connection "${connectionId}" does not exist; create it before saving its webhook secrets.`, { status: 404, fault: 'caller', cause: error });
        }
        throw error;
      }
    },

    async delete(connectionId) {
      const deleted = await knex('webhook_secrets').where({ connection_id: connectionId }).delete();
      return deleted > 0;
    },
  };
}

import type { CredentialEnvelope } from '../../security/index.js';
import type { StoreContext } from '../store-context.js';
import { parseJson, readInteger, readOptionalInteger, serializeJson } from '../values.js';

/** A pending OAuth authorization code flow. */
export interface StoredOAuthState {
  /** `oas_…`, time-ordered. */
  id: string;
  /** SHA-256 (hex) of the state sent to the provider. */
  stateHash: string;
  workspaceId: string;
  connectorId: string;
  connectionName: string;
  /** The connection being reconnected, or null for a new one. */
  connectionId: string | null;
  /** `key:<id>` or `user:<id>`. */
  actor: string;
  apiKeyId: string | null;
  userId: string | null;
  redirectUri: string;
  /** Non-secret settings chosen at the start: connection config and whether to test the connection. */
  request: Record<string, unknown>;
  /** Encrypted with the credential cipher for `oauthStateScope(id)`. */
  secrets: CredentialEnvelope;
  /** Epoch milliseconds. */
  createdAt: number;
  expiresAt: number;
  /** Epoch milliseconds of the callback that used the state, or null while unused. */
  usedAt: number | null;
}

export type NewOAuthState = Omit<StoredOAuthState, 'usedAt'>;

export interface OAuthStateRepository {
  create(state: NewOAuthState): Promise<void>;
  findByStateHash(stateHash: string): Promise<StoredOAuthState | null>;
  /** Marks the state used. Returns false when another callback used it first, so each state completes at most one flow. */
  markUsed(id: string, usedAt: number): Promise<boolean>;
  /** Deletes states that expired before `beforeMs`, used or not. Returns how many. */
  deleteExpired(beforeMs: number): Promise<number>;
}

interface OAuthStateRow {
  id: string;
  state_hash: string;
  workspace_id: string;
  connector_id: string;
  connection_name: string;
  connection_id: string | null;
  actor: string;
  api_key_id: string | null;
  user_id: string | null;
  redirect_uri: string;
  request: unknown;
  key_id: string;
  ciphertext: string;
  nonce: string;
  auth_tag: string;
  created_at: unknown;
  expires_at: unknown;
  used_at: unknown;
}

function toState(row: OAuthStateRow): StoredOAuthState {
  return {
    id: row.id,
    stateHash: row.state_hash,
    workspaceId: row.workspace_id,
    connectorId: row.connector_id,
    connectionName: row.connection_name,
    connectionId: row.connection_id,
    actor: row.actor,
    apiKeyId: row.api_key_id,
    userId: row.user_id,
    redirectUri: row.redirect_uri,
    request: parseJson(row.request) as Record<string, unknown>,
    secrets: { keyId: row.key_id, ciphertext: row.ciphertext, nonce: row.nonce, authTag: row.auth_tag },
    createdAt: readInteger(row.created_at),
    expiresAt: readInteger(row.expires_at),
    usedAt: readOptionalInteger(row.used_at),
  };
}

export function createOAuthStateRepository({ knex, dialect }: StoreContext): OAuthStateRepository {
  return {
    async create(state) {
      await knex('oauth_states').insert({
        id: state.id,
        state_hash: state.stateHash,
        workspace_id: state.workspaceId,
        connector_id: state.connectorId,
        connection_name: state.connectionName,
        connection_id: state.connectionId,
        actor: state.actor,
        api_key_id: state.apiKeyId,
        user_id: state.userId,
        redirect_uri: state.redirectUri,
        request: serializeJson(state.request, dialect),
        key_id: state.secrets.keyId,
        ciphertext: state.secrets.ciphertext,
        nonce: state.secrets.nonce,
        auth_tag: state.secrets.authTag,
        created_at: state.createdAt,
        expires_at: state.expiresAt,
        used_at: null,
      });
    },

    async findByStateHash(stateHash) {
      const row: OAuthStateRow | undefined = await knex('oauth_states').where({ state_hash: stateHash }).first();
      return row ? toState(row) : null;
    },

    async markUsed(id, usedAt) {
      const updated = await knex('oauth_states').where({ id }).whereNull('used_at').update({ used_at: usedAt });
      return updated > 0;
    },

    async deleteExpired(beforeMs) {
      return knex('oauth_states').where('expires_at', '<', beforeMs).delete();
    },
  };
}

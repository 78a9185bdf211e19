import { createTimeOrderedId } from '../ids.js';
import type { StoreContext } from '../store-context.js';
import { nowIso, readRequiredTimestamp } from '../values.js';

/** A studio login session. The row contains the SHA-256 of the cookie's token, never the token. */
export interface StoredSession {
  /** `sess_…`, time-ordered. */
  id: string;
  workspaceId: string;
  userId: string;
  createdAt: string;
  /** Last request made with the session. AccessService writes it at most once a minute. */
  lastUsedAt: string;
  /** The absolute end of the session, whatever its use. */
  expiresAt: string;
}

export interface CreateSessionInput {
  workspaceId: string;
  userId: string;
  /** SHA-256 of the token in lowercase hex. */
  tokenHash: string;
  expiresAt: string;
}

export interface SessionRepository {
  create(input: CreateSessionInput): Promise<StoredSession>;
  /** Returns the session whose token has this SHA-256, expired or not; the caller checks the times. */
  findByTokenHash(tokenHash: string): Promise<StoredSession | null>;
  /** Sets `lastUsedAt` to now. */
  touch(id: string): Promise<string>;
  delete(id: string): Promise<void>;
  /** Deletes sessions past their absolute end or unused since `idleSince`. Returns how many. */
  deleteExpired(idleSince: string): Promise<number>;
}

interface SessionRow {
  id: string;
  workspace_id: string;
  user_id: string;
  token_hash: string;
  created_at: unknown;
  last_used_at: unknown;
  expires_at: unknown;
}

function toStoredSession(row: SessionRow): StoredSession {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    userId: row.user_id,
    createdAt: readRequiredTimestamp(row.created_at),
    lastUsedAt: readRequiredTimestamp(row.last_used_at),
    expiresAt: readRequiredTimestamp(row.expires_at),
  };
}

export function createSessionRepository({ knex }: StoreContext): SessionRepository {
  return {
    async create(input) {
      const now = nowIso();
      const session: StoredSession = { id: createTimeOrderedId('sess'), workspaceId: input.workspaceId, userId: input.userId, createdAt: now, lastUsedAt: now, expiresAt: input.expiresAt };
      await knex('sessions').insert({
        id: session.id,
        workspace_id: session.workspaceId,
        user_id: session.userId,
        token_hash: input.tokenHash,
        created_at: session.createdAt,
        last_used_at: session.lastUsedAt,
        expires_at: session.expiresAt,
      });
      return session;
    },

    async findByTokenHash(tokenHash) {
      const row = await knex<SessionRow>('sessions').where({ token_hash: tokenHash }).first();
      return row ? toStoredSession(row) : null;
    },

    async touch(id) {
      const now = nowIso();
      await knex('sessions').where({ id }).update({ last_used_at: now });
      return now;
    },

    async delete(id) {
      await knex('sessions').where({ id }).delete();
    },

    async deleteExpired(idleSince) {
      return knex('sessions').where('expires_at', '<=', nowIso()).orWhere('last_used_at', '<=', idleSince).delete();
    },
  };
}

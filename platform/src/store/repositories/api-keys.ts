import { hash, randomBytes } from 'node:crypto';
import { LumioError } from '../../errors/index.js';
import { isForeignKeyViolation } from '../database-errors.js';
import { createTimeOrderedId } from '../ids.js';
import type { StoreContext } from '../store-context.js';
import { nowIso, parseJson, readRequiredTimestamp, readTimestamp, serializeJson, validateLimit } from '../values.js';
import { selectRows } from './select-rows.js';
import { decodeCursor, encodeCursor } from './webhook-event-rows.js';

/** An API key as stored: never the key itself, only its SHA-256 and a display prefix. */
export interface ApiKeyRecord {
  id: string;
  workspaceId: string;
  name: string;
  /** First characters of the key (`lumio_` and 8 more), shown in listings so people can tell keys apart. */
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey {
  /** The plaintext key. It is not stored, so this is the only time it can be shown. */
  key: string;
  record: ApiKeyRecord;
}

export interface ApiKeyRepository {
  /**
   * Creates a key and returns its plaintext once. `options.plaintext` registers a key chosen
   * by an operator (LUMIO_ADMIN_API_KEY) instead of a random one.
   */
  create(workspaceId: string, name: string, scopes: string[], options?: CreateApiKeyOptions): Promise<CreatedApiKey>;
  /** Returns the key's record when the key exists and is not revoked, otherwise null. Updates `lastUsedAt`. */
  verify(plaintext: string): Promise<ApiKeyRecord | null>;
  /** Returns true when the key was active and is now revoked. */
  revoke(id: string): Promise<boolean>;
  get(id: string): Promise<ApiKeyRecord | null>;
  list(workspaceId: string): Promise<ApiKeyRecord[]>;
  /** Lists a workspace's keys, revoked ones included, oldest first. */
  listPage(workspaceId: string, options: ListApiKeysOptions): Promise<ApiKeyPage>;
}

export interface ListApiKeysOptions {
  /** 1 to MAX_API_KEY_PAGE_SIZE. */
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface ApiKeyPage {
  apiKeys: ApiKeyRecord[];
  nextCursor: string | null;
}

export const MAX_API_KEY_PAGE_SIZE = 200;

export interface CreateApiKeyOptions {
  plaintext?: string;
}

export const API_KEY_PREFIX = 'lumio_';
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
/**
 * Shape of any key this store accepts: generated keys are `lumio_` and 43 base64url
 * characters, and operator-chosen keys are 24 to 256 URL-safe characters. Anything else is
 * rejected without a database query.
 */
const API_KEY_PATTERN = /^[A-Za-z0-9_.~-]{24,256}$/;

/**
 * `lastUsedAt` is written at most once per minute per key, so a busy client does not turn
 * every authenticated read into a database write.
 */
const LAST_USED_RESOLUTION_MS = 60_000;

interface ApiKeyRow {
  id: string;
  workspace_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: unknown;
  created_at: unknown;
  last_used_at: unknown;
  revoked_at: unknown;
}

function toApiKeyRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    prefix: row.prefix,
    scopes: parseJson(row.scopes) as string[],
    createdAt: readRequiredTimestamp(row.created_at),
    lastUsedAt: readTimestamp(row.last_used_at),
    revokedAt: readTimestamp(row.revoked_at),
  };
}

function hashApiKey(plaintext: string): string {
  return hash('sha256', plaintext, 'hex');
}

/** The lookup of every API request, written once so SQLite prepares it once (see select-rows.ts). */
const ACTIVE_KEY_BY_HASH_SQL = 'SELECT * FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL LIMIT 1';

export function createApiKeyRepository(context: StoreContext): ApiKeyRepository {
  const { knex, dialect } = context;
  return {
    async create(workspaceId, name, scopes, options = {}) {
      if (name.trim() === '') {
        throw new LumioError('API_KEY_NAME_INVALID', 'The API key name is empty; name the key after the person or system that uses it.', { status: 400, fault: 'caller' });
      }
      if (!Array.isArray(scopes) || scopes.some((scope) => typeof scope !== 'string' || scope === '')) {
        throw new LumioError('API_KEY_SCOPES_INVALID', 'The API key scopes must be an array of non-empty strings.', { status: 400, fault: 'caller' });
      }

      const key = options.plaintext ?? API_KEY_PREFIX + randomBytes(32).toString('base64url');
      if (!API_KEY_PATTERN.test(key)) {
        throw new LumioError('API_KEY_INVALID', 'A chosen API key must be 24 to 256 characters of letters, digits, "-", "_", "." or "~".', { status: 400, fault: 'caller' });
      }
      const record: ApiKeyRecord = {
        id: createTimeOrderedId('key'),
        workspaceId,
        name,
        prefix: key.slice(0, DISPLAY_PREFIX_LENGTH),
        scopes: [...scopes],
        createdAt: nowIso(),
        lastUsedAt: null,
        revokedAt: null,
      };

      try {
        await knex('api_keys').insert({
          id: record.id,
          workspace_id: workspaceId,
          name,
          prefix: record.prefix,
          key_hash: hashApiKey(key),
          scopes: serializeJson(record.scopes, dialect),
          created_at: record.createdAt,
        });
      } catch (error) {
        if (isForeignKeyViolation(error)) {
          throw new LumioError('WORKSPACE_NOT_FOUND', `Workspace "${workspaceId}" does not exist; create it before adding API keys.`, { status: 404, fault: 'caller', cause: error });
        }
        throw error;
      }
      return { key, record };
    },

    async verify(plaintext) {
      if (typeof plaintext !== 'string' || !API_KEY_PATTERN.test(plaintext)) {
        return null;
      }

      // The lookup compares SHA-256 digests through an index. An attacker who measures its
      // timing learns about digests of guesses, not about the stored key, so no
      // constant-time comparison is needed.
      const [row] = await selectRows<ApiKeyRow>(context, ACTIVE_KEY_BY_HASH_SQL, [hashApiKey(plaintext)]);
      if (!row) {
        return null;
      }

      const record = toApiKeyRecord(row);
      const now = nowIso();
      if (record.lastUsedAt === null || Date.parse(now) - Date.parse(record.lastUsedAt) >= LAST_USED_RESOLUTION_MS) {
        await knex('api_keys').where({ id: record.id }).update({ last_used_at: now });
        record.lastUsedAt = now;
      }
      return record;
    },

    async revoke(id) {
      const changed = await knex('api_keys').where({ id }).whereNull('revoked_at').update({ revoked_at: nowIso() });
      return changed > 0;
    },

    async get(id) {
      const row = await knex<ApiKeyRow>('api_keys').where({ id }).first();
      return row ? toApiKeyRecord(row) : null;
    },

    async list(workspaceId) {
      const rows = await knex<ApiKeyRow>('api_keys').where({ workspace_id: workspaceId }).orderBy('created_at').orderBy('id');
      return rows.map(toApiKeyRecord);
    },

    async listPage(workspaceId, options) {
      validateLimit(options.limit, MAX_API_KEY_PAGE_SIZE);

      let query = knex<ApiKeyRow>('api_keys').where({ workspace_id: workspaceId }).orderBy('id').limit(options.limit + 1);
      if (options.cursor) query = query.where('id', '>', decodeCursor(options.cursor, 'key'));

      const rows = await query;
      const apiKeys = rows.slice(0, options.limit).map(toApiKeyRecord);
      const last = apiKeys.at(-1);
      return { apiKeys, nextCursor: rows.length > options.limit && last ? encodeCursor(last.id) : null };
    },
  };
}

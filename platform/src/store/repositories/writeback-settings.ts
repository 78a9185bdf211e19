import { LumioError } from '../../errors/index.js';
import { isForeignKeyViolation } from '../database-errors.js';
import type { StoreContext } from '../store-context.js';
import { nowIso, parseJson, readRequiredTimestamp, serializeJson } from '../values.js';

/**
 * Rule for a record that the provider changed while Lumio was about to write it.
 * `provider_wins` skips the write when the provider changed the record after Lumio last
 * read it. `newest_wins` skips it only when the provider's change is newer than Lumio's.
 * `lumio_wins` always writes.
 */
export type ConflictPolicy = 'provider_wins' | 'lumio_wins' | 'newest_wins';

export const CONFLICT_POLICIES: readonly ConflictPolicy[] = ['provider_wins', 'lumio_wins', 'newest_wins'];

/** Write-back settings of one connection. */
export interface WritebackSettings {
  connectionId: string;
  conflictPolicy: ConflictPolicy;
  /**
   * Canonical object name to the canonical field that identifies a record at the provider
   * when Lumio does not know its external id, e.g. `{"contact": "email"}`. Objects left out
   * use Lumio's defaults.
   */
  matchOn: Record<string, string>;
  updatedAt: string;
}

export interface WritebackSettingsRepository {
  /** Returns the stored settings, or null when the connection has none yet. */
  get(connectionId: string): Promise<WritebackSettings | null>;
  /** Inserts or replaces the settings. Raises CONNECTION_NOT_FOUND (404) for an unknown connection. */
  save(connectionId: string, settings: { conflictPolicy: ConflictPolicy; matchOn: Record<string, string> }): Promise<WritebackSettings>;
}

interface WritebackSettingsRow {
  connection_id: string;
  conflict_policy: ConflictPolicy;
  match_on: unknown;
  updated_at: unknown;
}

function toSettings(row: WritebackSettingsRow): WritebackSettings {
  return {
    connectionId: row.connection_id,
    conflictPolicy: row.conflict_policy,
    matchOn: (parseJson(row.match_on) ?? {}) as Record<string, string>,
    updatedAt: readRequiredTimestamp(row.updated_at),
  };
}

export function createWritebackSettingsRepository({ knex, dialect }: StoreContext): WritebackSettingsRepository {
  return {
    async get(connectionId) {
      const row = await knex<WritebackSettingsRow>('writeback_settings').where({ connection_id: connectionId }).first();
      return row ? toSettings(row) : null;
    },

    async save(connectionId, settings) {
      const row = {
        connection_id: connectionId,
        conflict_policy: settings.conflictPolicy,
        match_on: serializeJson(settings.matchOn, dialect),
        updated_at: nowIso(),
      };
      try {
        await knex('writeback_settings').insert(row).onConflict('connection_id').merge(['conflict_policy', 'match_on', 'updated_at']);
      } catch (error) {
        if (isForeignKeyViolation(error)) {
          throw new LumioError('CONNECTION_NOT_FOUND', `Connection "${connectionId}" does not exist; connect it before changing its write-back settings.`, { status: 404, fault: 'caller', cause: error });
        }
        throw error;
      }
      return { connectionId, conflictPolicy: settings.conflictPolicy, matchOn: { ...settings.matchOn }, updatedAt: row.updated_at };
    },
  };
}

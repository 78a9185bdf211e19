import { LumioError } from '../../errors/index.js';
import { isForeignKeyViolation } from '../database-errors.js';
import type { StoreContext } from '../store-context.js';
import { nowIso, parseJson, readRequiredTimestamp, serializeJson } from '../values.js';

/** The sync checkpoint of one connection and object. */
export interface SyncStateEntry {
  connectionId: string;
  object: string;
  /** Checkpoint value saved by the sync engine (cursor, tie-breaker, window start). */
  state: unknown;
  updatedAt: string;
}

export interface SyncStateRepository {
  get(connectionId: string, object: string): Promise<SyncStateEntry | null>;
  /** Inserts or replaces the checkpoint. */
  save(connectionId: string, object: string, state: unknown): Promise<SyncStateEntry>;
  /** Removes the checkpoint, so the next incremental sync starts from the beginning. */
  delete(connectionId: string, object: string): Promise<boolean>;
}

interface SyncStateRow {
  connection_id: string;
  object: string;
  state: unknown;
  updated_at: unknown;
}

export function createSyncStateRepository({ knex, dialect }: StoreContext): SyncStateRepository {
  return {
    async get(connectionId, object) {
      const row = await knex<SyncStateRow>('sync_state').where({ connection_id: connectionId, object }).first();
      if (!row) {
        return null;
      }
      return { connectionId, object, state: parseJson(row.state), updatedAt: readRequiredTimestamp(row.updated_at) };
    },

    async save(connectionId, object, state) {
      const updatedAt = nowIso();
      try {
        await knex('sync_state')
          .insert({ connection_id: connectionId, object, state: serializeJson(state, dialect), updated_at: updatedAt })
          .onConflict(['connection_id', 'object'])
          .merge(['state', 'updated_at']);
      } catch (error) {
        if (isForeignKeyViolation(error)) {
          throw new LumioError('CONNECTION_NOT_FOUND', `Connection "${connectionId}" does not exist; create it before saving sync state.`, { status: 404, fault: 'caller', cause: error });
        }
        throw error;
      }
      return { connectionId, object, state, updatedAt };
    },

    async delete(connectionId, object) {
      const deleted = await knex('sync_state').where({ connection_id: connectionId, object }).delete();
      return deleted > 0;
    },
  };
}

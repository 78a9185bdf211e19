import { LumioError } from '../../errors/index.js';
import { isForeignKeyViolation } from '../database-errors.js';
import type { StoreContext } from '../store-context.js';
import { nowIso, parseJson, readRequiredTimestamp, serializeJson } from '../values.js';

/** One stored value of a connection's plugin state. */
export interface PluginStateEntry {
  connectionId: string;
  key: string;
  /** A JSON value, stored as the plugin gave it. */
  value: unknown;
  updatedAt: string;
}

/** Key-value state that a connector plugin keeps per connection. */
export interface PluginStateRepository {
  /** Returns the entry, or null when the key has no value. */
  get(connectionId: string, key: string): Promise<PluginStateEntry | null>;
  /** Inserts or replaces a value. Raises CONNECTION_NOT_FOUND (404) for an unknown connection. */
  set(connectionId: string, key: string, value: unknown): Promise<void>;
  /** Deletes a value. Returns false when the key had none. */
  delete(connectionId: string, key: string): Promise<boolean>;
  /** Counts the connection's keys. */
  count(connectionId: string): Promise<number>;
}

interface PluginStateRow {
  connection_id: string;
  key: string;
  value: unknown;
  updated_at: unknown;
}

export function createPluginStateRepository({ knex, dialect }: StoreContext): PluginStateRepository {
  return {
    async get(connectionId, key) {
      const row = await knex<PluginStateRow>('plugin_state').where({ connection_id: connectionId, key }).first();
      if (!row) {
        return null;
      }
      return { connectionId, key, value: parseJson(row.value), updatedAt: readRequiredTimestamp(row.updated_at) };
    },

    async set(connectionId, key, value) {
      try {
        await knex('plugin_state')
          .insert({ connection_id: connectionId, key, value: serializeJson(value, dialect), updated_at: nowIso() })
          .onConflict(['connection_id', 'key'])
          .merge(['value', 'updated_at']);
      } catch (error) {
        if (isForeignKeyViolation(error)) {
          throw new LumioError('CONNECTION_NOT_FOUND', `Connection "${connectionId}" does not exist; create it before saving plugin state.`, { status: 404, fault: 'caller', cause: error });
        }
        throw error;
      }
    },

    async delete(connectionId, key) {
      const deleted = await knex('plugin_state').where({ connection_id: connectionId, key }).delete();
      return deleted > 0;
    },

    async count(connectionId) {
      const row = await knex('plugin_state').where({ connection_id: connectionId }).count<{ count: number | string }[]>({ count: '*' }).first();
      return Number(row?.count ?? 0);
    },
  };
}

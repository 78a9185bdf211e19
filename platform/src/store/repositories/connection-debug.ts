import { isForeignKeyViolation } from '../database-errors.js';
import { LumioError } from '../../errors/index.js';
import type { StoreContext } from '../store-context.js';
import { readInteger } from '../values.js';

/** Detail of debug logging; `verbose` logs every provider request with redacted headers and bodies. */
export type DebugLevel = 'verbose';

/** Debug logging switched on for one connection until `expiresAt`. */
export interface ConnectionDebugSetting {
  connectionId: string;
  workspaceId: string;
  level: DebugLevel;
  /** Epoch milliseconds. */
  enabledAt: number;
  /** Epoch milliseconds; logging is off from then on. */
  expiresAt: number;
  /** Actor that switched it on: `key:<id>` or `user:<id>`. */
  enabledBy: string;
}

export interface ConnectionDebugRepository {
  /** Returns the stored setting, expired or not, or null when debug logging was never on or was switched off. */
  get(connectionId: string): Promise<ConnectionDebugSetting | null>;
  /** Inserts or replaces the setting. Raises CONNECTION_NOT_FOUND (404) for an unknown connection. */
  save(setting: ConnectionDebugSetting): Promise<void>;
  /** Deletes the setting; returns whether one was stored. */
  delete(connectionId: string): Promise<boolean>;
}

interface DebugRow {
  connection_id: string;
  workspace_id: string;
  level: DebugLevel;
  enabled_at: unknown;
  expires_at: unknown;
  enabled_by: string;
}

export function createConnectionDebugRepository({ knex }: StoreContext): ConnectionDebugRepository {
  return {
    async get(connectionId) {
      const row = await knex<DebugRow>('connection_debug').where({ connection_id: connectionId }).first();
      if (!row) return null;
      return {
        connectionId: row.connection_id,
        workspaceId: row.workspace_id,
        level: row.level,
        enabledAt: readInteger(row.enabled_at),
        expiresAt: readInteger(row.expires_at),
        enabledBy: row.enabled_by,
      };
    },

    async save(setting) {
      const row = {
        connection_id: setting.connectionId,
        workspace_id: setting.workspaceId,
        level: setting.level,
        enabled_at: setting.enabledAt,
        expires_at: setting.expiresAt,
        enabled_by: setting.enabledBy,
      };
      try {
        await knex('connection_debug').insert(row).onConflict('connection_id').merge();
      } catch (error) {
        if (!isForeignKeyViolation(error)) throw error;
        throw new LumioError('CONNECTION_NOT_FOUND', `Connection ${setting.connectionId} does not exist, so debug logging cannot be switched on for it.`, {
          status: 404,
          fault: 'caller',
          cause: error,
        });
      }
    },

    async delete(connectionId) {
      const deleted = await knex('connection_debug').where({ connection_id: connectionId }).delete();
      return deleted > 0;
    },
  };
}

import { LumioError } from '../../errors/index.js';
import { isForeignKeyViolation } from '../database-errors.js';
import type { StoreContext } from '../store-context.js';
import { readInteger, readOptionalInteger, readOptionalString } from '../values.js';
import type { SyncMode } from './sync-runs.js';

/** When and how one object of a connection syncs. Exactly one of `every` and `cron` is set. */
export interface SyncScheduleDefinition {
  /** Manifest object key, e.g. `contacts`. */
  object: string;
  mode: SyncMode;
  /** Interval such as `15m`, or null. */
  every: string | null;
  /** Five-field cron expression in UTC, or null. */
  cron: string | null;
}

export interface StoredSyncSchedule extends SyncScheduleDefinition {
  workspaceId: string;
  connectionId: string;
  /** When the definition was last changed, epoch milliseconds. Slots at or before it are not run. */
  anchorAt: number;
  /** The latest slot a scheduler enqueued, epoch milliseconds, or null before the first. */
  lastSlotAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface SyncScheduleRepository {
  listForConnection(connectionId: string): Promise<StoredSyncSchedule[]>;
  /** Every schedule of every connection, for the scheduler. */
  listAll(): Promise<StoredSyncSchedule[]>;
  /**
   * Replaces the connection's schedules with `definitions`, in one transaction. A schedule
   * whose definition is unchanged keeps its anchor and last slot, so saving the same list
   * again neither runs nor skips a slot.
   */
  replace(workspaceId: string, connectionId: string, definitions: SyncScheduleDefinition[], now: number): Promise<StoredSyncSchedule[]>;
  /**
   * Records `slotAt` as the schedule's latest enqueued slot unless it already has that slot
   * or a later one. Returns whether it changed, so of several schedulers that race for one
   * slot exactly one gets true.
   */
  markSlot(connectionId: string, object: string, slotAt: number): Promise<boolean>;
}

type SyncScheduleRow = Record<string, unknown>;

function toSchedule(row: SyncScheduleRow): StoredSyncSchedule {
  return {
    workspaceId: String(row.workspace_id),
    connectionId: String(row.connection_id),
    object: String(row.object),
    mode: row.mode as SyncMode,
    every: readOptionalString(row.every),
    cron: readOptionalString(row.cron),
    anchorAt: readInteger(row.anchor_at),
    lastSlotAt: readOptionalInteger(row.last_slot_at),
    createdAt: readInteger(row.created_at),
    updatedAt: readInteger(row.updated_at),
  };
}

function sameDefinition(stored: StoredSyncSchedule, definition: SyncScheduleDefinition): boolean {
  return stored.mode === definition.mode && stored.every === definition.every && stored.cron === definition.cron;
}

export function createSyncScheduleRepository({ knex }: StoreContext): SyncScheduleRepository {
  const listForConnection = async (connectionId: string) => {
    const rows = await knex<SyncScheduleRow>('sync_schedules').where({ connection_id: connectionId }).orderBy('object');
    return rows.map(toSchedule);
  };

  return {
    listForConnection,

    async listAll() {
      const rows = await knex<SyncScheduleRow>('sync_schedules').orderBy('connection_id').orderBy('object');
      return rows.map(toSchedule);
    },

    async replace(workspaceId, connectionId, definitions, now) {
      try {
        await knex.transaction(async (transaction) => {
          const rows = await transaction<SyncScheduleRow>('sync_schedules').where({ connection_id: connectionId });
          const stored = new Map(rows.map((row) => [String(row.object), toSchedule(row)]));
          const requested = new Set(definitions.map((definition) => definition.object));

          const removed = [...stored.keys()].filter((object) => !requested.has(object));
          if (removed.length > 0) await transaction('sync_schedules').where({ connection_id: connectionId }).whereIn('object', removed).delete();

          for (const definition of definitions) {
            const existing = stored.get(definition.object);
            if (existing && sameDefinition(existing, definition)) continue;

            const columns = { mode: definition.mode, every: definition.every, cron: definition.cron, anchor_at: now, updated_at: now };
            if (existing) {
              await transaction('sync_schedules').where({ connection_id: connectionId, object: definition.object }).update(columns);
            } else {
              await transaction('sync_schedules').insert({ ...columns, connection_id: connectionId, object: definition.object, workspace_id: workspaceId, last_slot_at: null, created_at: now });
            }
          }
        });
      } catch (error) {
        if (isForeignKeyViolation(error)) {
          throw new LumioError('CONNECTION_NOT_FOUND', `Connection "${connectionId}" does not exist; create it before scheduling its syncs.`, { status: 404, fault: 'caller', cause: error });
        }
        throw error;
      }
      return listForConnection(connectionId);
    },

    async markSlot(connectionId, object, slotAt) {
      const changed = await knex('sync_schedules')
        .where({ connection_id: connectionId, object })
        .andWhere((query) => query.whereNull('last_slot_at').orWhere('last_slot_at', '<', slotAt))
        .update({ last_slot_at: slotAt });
      return changed > 0;
    },
  };
}

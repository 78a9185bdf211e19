import { LumioError } from '../../errors/index.js';
import { isForeignKeyViolation, isUniqueViolation } from '../database-errors.js';
import { createRandomId } from '../ids.js';
import type { StoreContext } from '../store-context.js';
import { nowIso, parseJson, readBoolean, readInteger, readOptionalString, readRequiredTimestamp, serializeJson } from '../values.js';

/** One version of a field mapping for a connection's object. */
export interface StoredMapping {
  id: string;
  workspaceId: string;
  connectionId: string;
  /** Manifest object key, e.g. `contacts`. */
  object: string;
  /** Canonical object name, e.g. `contact`. */
  canonicalObject: string;
  /** 1 for the first version of this connection and object, then counting up. */
  version: number;
  /** The mapping document (a FieldMapping). */
  definition: unknown;
  active: boolean;
  comment: string | null;
  createdBy: string | null;
  createdAt: string;
}

export interface CreateMappingVersionInput {
  workspaceId: string;
  connectionId: string;
  object: string;
  canonicalObject: string;
  definition: unknown;
  comment?: string | null;
  createdBy?: string | null;
}

export interface MappingRepository {
  /**
   * Stores the definition as the next version of the connection and object, makes it the
   * active version and the previous active one inactive, in one transaction.
   */
  createVersion(input: CreateMappingVersionInput): Promise<StoredMapping>;
  activeFor(connectionId: string, object: string): Promise<StoredMapping | null>;
  /** All versions, newest first. */
  list(connectionId: string, object: string): Promise<StoredMapping[]>;
  get(id: string): Promise<StoredMapping | null>;
}

/** Attempts per createVersion call, because two concurrent calls can pick the same number and the loser retries. */
const VERSION_ATTEMPTS = 3;

interface MappingRow {
  id: string;
  workspace_id: string;
  connection_id: string;
  object: string;
  canonical_object: string;
  version: unknown;
  definition: unknown;
  active: unknown;
  comment: unknown;
  created_by: unknown;
  created_at: unknown;
}

function toMapping(row: MappingRow): StoredMapping {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    connectionId: row.connection_id,
    object: row.object,
    canonicalObject: row.canonical_object,
    version: readInteger(row.version),
    definition: parseJson(row.definition),
    active: readBoolean(row.active),
    comment: readOptionalString(row.comment),
    createdBy: readOptionalString(row.created_by),
    createdAt: readRequiredTimestamp(row.created_at),
  };
}

export function createMappingRepository({ knex, dialect }: StoreContext): MappingRepository {
  async function insertNextVersion(input: CreateMappingVersionInput): Promise<StoredMapping> {
    return knex.transaction(async (transaction) => {
      const latest = await transaction('mappings')
        .where({ connection_id: input.connectionId, object: input.object })
        .max<{ version: unknown }>('version as version')
        .first();

      const mapping: StoredMapping = {
        id: createRandomId('map'),
        workspaceId: input.workspaceId,
        connectionId: input.connectionId,
        object: input.object,
        canonicalObject: input.canonicalObject,
        version: readInteger(latest?.version) + 1,
        definition: input.definition,
        active: true,
        comment: input.comment ?? null,
        createdBy: input.createdBy ?? null,
        createdAt: nowIso(),
      };

      // Deactivate first, because the unique index on active versions allows only one at a time.
      await transaction('mappings').where({ connection_id: input.connectionId, object: input.object, active: true }).update({ active: false });
      await transaction('mappings').insert({
        id: mapping.id,
        workspace_id: mapping.workspaceId,
        connection_id: mapping.connectionId,
        object: mapping.object,
        canonical_object: mapping.canonicalObject,
        version: mapping.version,
        definition: serializeJson(mapping.definition, dialect),
        active: true,
        comment: mapping.comment,
        created_by: mapping.createdBy,
        created_at: mapping.createdAt,
      });
      return mapping;
    });
  }

  return {
    async createVersion(input) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await insertNextVersion(input);
        } catch (error) {
          if (isUniqueViolation(error) && attempt < VERSION_ATTEMPTS) {
            continue;
          }
          if (isForeignKeyViolation(error)) {
            throw new LumioError('CONNECTION_NOT_FOUND', `Connection "${input.connectionId}" in workspace "${input.workspaceId}" does not exist; create it before adding mappings.`, {
              status: 404,
              fault: 'caller',
              cause: error,
            });
          }
          throw error;
        }
      }
    },

    async activeFor(connectionId, object) {
      const row = await knex<MappingRow>('mappings').where({ connection_id: connectionId, object, active: true }).first();
      return row ? toMapping(row) : null;
    },

    async list(connectionId, object) {
      const rows = await knex<MappingRow>('mappings').where({ connection_id: connectionId, object }).orderBy('version', 'desc');
      return rows.map(toMapping);
    },

    async get(id) {
      const row = await knex<MappingRow>('mappings').where({ id }).first();
      return row ? toMapping(row) : null;
    },
  };
}

import { LumioError } from '../../errors/index.js';
import { isForeignKeyViolation, isUniqueViolation } from '../database-errors.js';
import { createRandomId } from '../ids.js';
import type { StoreContext } from '../store-context.js';
import { nowIso, parseJson, readBoolean, readInteger, readOptionalString, readRequiredTimestamp, serializeJson, validateLimit } from '../values.js';

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

export interface ListMappingVersionsOptions {
  /** 1 to 1000. */
  limit: number;
  /** Only versions lower than this one, for the next page of a newest-first list. */
  beforeVersion?: number;
}

export interface ListSampleRecordsInput {
  workspaceId: string;
  connectionId: string;
  /** Manifest object key, e.g. `contacts`. */
  object: string;
  /** Canonical object the records are stored as, e.g. `contact`. */
  canonicalObject: string;
  /** 1 to 1000. */
  limit: number;
}

/** A provider record stored for a connection's object, as a sample for mapping previews. */
export interface MappingSampleRecord {
  externalId: string;
  /** The provider's record as last received. */
  raw: unknown;
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
  /**
   * Like createVersion, but only while `baseVersion` is the active version (0 when there is
   * none), checked in the same transaction. Raises MAPPING_VERSION_CONFLICT (409) otherwise.
   */
  createVersionIfActive(input: CreateMappingVersionInput, baseVersion: number): Promise<StoredMapping>;
  /** One page of versions, newest first. */
  listVersions(connectionId: string, object: string, options: ListMappingVersionsOptions): Promise<StoredMapping[]>;
  getVersion(connectionId: string, object: string, version: number): Promise<StoredMapping | null>;
  /**
   * The connection's most recently created records of a manifest object that are not
   * deleted, newest first, with their raw provider data. Mapping previews and the field
   * catalogue read these as samples.
   */
  listSampleRecords(input: ListSampleRecordsInput): Promise<MappingSampleRecord[]>;
}

/** Attempts per createVersion call, because two concurrent calls can pick the same number and the loser retries. */
const VERSION_ATTEMPTS = 3;
const MAX_PAGE_LIMIT = 1_000;

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
  async function insertNextVersion(input: CreateMappingVersionInput, baseVersion?: number): Promise<StoredMapping> {
    return knex.transaction(async (transaction) => {
      if (baseVersion !== undefined) {
        // On PostgreSQL a concurrent save locks this row until it commits, and the row is then
        // read again: no longer active, so the waiting save sees the new version and fails. SQLite
        // runs one transaction at a time on its single connection, so it needs no lock.
        let query = transaction('mappings').where({ connection_id: input.connectionId, object: input.object, active: true });
        if (dialect === 'postgres') query = query.forUpdate();
        const active = await query.first<{ version: unknown } | undefined>('version');
        const activeVersion = readInteger(active?.version);
        if (activeVersion !== baseVersion) throw versionConflict(input.object, activeVersion, baseVersion);
      }

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

  // A unique violation means a concurrent call took the version number, so the retry reads the new state.
  async function insertWithRetries(input: CreateMappingVersionInput, baseVersion?: number): Promise<StoredMapping> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await insertNextVersion(input, baseVersion);
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
  }

  return {
    createVersion(input) {
      return insertWithRetries(input);
    },

    createVersionIfActive(input, baseVersion) {
      return insertWithRetries(input, baseVersion);
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

    async listVersions(connectionId, object, options) {
      validateLimit(options.limit, MAX_PAGE_LIMIT);
      let query = knex<MappingRow>('mappings').where({ connection_id: connectionId, object });
      if (options.beforeVersion !== undefined) query = query.where('version', '<', options.beforeVersion);
      const rows = await query.orderBy('version', 'desc').limit(options.limit);
      return rows.map(toMapping);
    },

    async getVersion(connectionId, object, version) {
      const row = await knex<MappingRow>('mappings').where({ connection_id: connectionId, object, version }).first();
      return row ? toMapping(row) : null;
    },

    async listSampleRecords(input) {
      validateLimit(input.limit, MAX_PAGE_LIMIT);
      // Record ids are time-ordered, so the (workspace_id, object, id) index serves this
      // newest-first read without sorting all of the connection's records.
      const rows: { external_id: string; raw: unknown }[] = await knex('records')
        .where({ workspace_id: input.workspaceId, object: input.canonicalObject, connection_id: input.connectionId, source_object: input.object, deleted: false })
        .orderBy('id', 'desc')
        .limit(input.limit)
        .select('external_id', 'raw');
      return rows.map((row) => ({ externalId: row.external_id, raw: parseJson(row.raw) }));
    },
  };
}

function versionConflict(object: string, activeVersion: number, baseVersion: number): LumioError {
  const active = activeVersion === 0 ? 'has no active version' : `is at version ${activeVersion}`;
  return new LumioError('MAPPING_VERSION_CONFLICT', `The field mapping of ${object} ${active}, but the change was made to version ${baseVersion}; reload the mapping, apply the change again and send the new baseVersion.`, {
    status: 409,
    fault: 'caller',
    details: { field: 'baseVersion', activeVersion, baseVersion },
  });
}

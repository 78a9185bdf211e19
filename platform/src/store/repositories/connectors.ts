import type { StoreContext } from '../store-context.js';
import { normalizeTimestamp, nowIso, parseJson, readRequiredTimestamp, serializeJson } from '../values.js';

export type ConnectorStatus = 'loaded' | 'invalid';

/** The last manifest read for a connector id, valid or not. */
export interface StoredConnector {
  id: string;
  version: string;
  name: string;
  /** The parsed manifest, or for an invalid one whatever could be read. */
  manifest: unknown;
  manifestHash: string;
  status: ConnectorStatus;
  /** Validation errors of an invalid manifest, empty when loaded. */
  errors: unknown[];
  loadedAt: string;
}

export type UpsertConnectorInput = Omit<StoredConnector, 'loadedAt'> & { loadedAt?: string };

export interface ConnectorRepository {
  /** Inserts the connector or replaces the row with the same id. */
  upsert(input: UpsertConnectorInput): Promise<StoredConnector>;
  get(id: string): Promise<StoredConnector | null>;
  /** All connectors ordered by id. */
  list(): Promise<StoredConnector[]>;
}

interface ConnectorRow {
  id: string;
  version: string;
  name: string;
  manifest: unknown;
  manifest_hash: string;
  status: ConnectorStatus;
  errors: unknown;
  loaded_at: unknown;
}

function toConnector(row: ConnectorRow): StoredConnector {
  return {
    id: row.id,
    version: row.version,
    name: row.name,
    manifest: parseJson(row.manifest),
    manifestHash: row.manifest_hash,
    status: row.status,
    errors: parseJson(row.errors) as unknown[],
    loadedAt: readRequiredTimestamp(row.loaded_at),
  };
}

export function createConnectorRepository({ knex, dialect }: StoreContext): ConnectorRepository {
  return {
    async upsert(input) {
      const connector: StoredConnector = { ...input, errors: [...input.errors], loadedAt: normalizeTimestamp(input.loadedAt, 'loadedAt') ?? nowIso() };
      await knex('connectors')
        .insert({
          id: connector.id,
          version: connector.version,
          name: connector.name,
          manifest: serializeJson(connector.manifest, dialect),
          manifest_hash: connector.manifestHash,
          status: connector.status,
          errors: serializeJson(connector.errors, dialect),
          loaded_at: connector.loadedAt,
        })
        .onConflict('id')
        .merge();
      return connector;
    },

    async get(id) {
      const row = await knex<ConnectorRow>('connectors').where({ id }).first();
      return row ? toConnector(row) : null;
    },

    async list() {
      const rows = await knex<ConnectorRow>('connectors').orderBy('id');
      return rows.map(toConnector);
    },
  };
}

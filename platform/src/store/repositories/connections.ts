import { randomBytes } from 'node:crypto';
import { LumioError } from '../../errors/index.js';
import { isForeignKeyViolation, isUniqueViolation } from '../database-errors.js';
import { createTimeOrderedId } from '../ids.js';
import type { StoreContext } from '../store-context.js';
import { normalizeTimestamp, nowIso, parseJson, readOptionalString, readRequiredTimestamp, readTimestamp, serializeJson } from '../values.js';
import { selectRows } from './select-rows.js';

export type ConnectionStatus = 'connected' | 'disconnected' | 'error' | 'needs_reauth';

export interface Connection {
  id: string;
  workspaceId: string;
  connectorId: string;
  name: string;
  /** Connection config without secret fields, which are stored encrypted in the credentials table. */
  config: Record<string, unknown>;
  /** The manifest auth `type` this connection uses, e.g. `oauth2AuthorizationCode`. */
  authMethod: string;
  status: ConnectionStatus;
  /** Result of the last connection check (free-form JSON object), or null before the first check. */
  health: Record<string, unknown> | null;
  /** Secret path segment of this connection's webhook URL. */
  webhookToken: string;
  createdAt: string;
  updatedAt: string;
  lastSyncAt: string | null;
  lastSyncStatus: string | null;
}

export interface CreateConnectionInput {
  workspaceId: string;
  connectorId: string;
  name: string;
  config?: Record<string, unknown>;
  authMethod: string;
  /** Default `disconnected`. */
  status?: ConnectionStatus;
  /** Default: 32 random bytes, base64url. */
  webhookToken?: string;
}

export type ConnectionPatch = Partial<
  Pick<Connection, 'name' | 'config' | 'authMethod' | 'status' | 'health' | 'webhookToken' | 'lastSyncAt' | 'lastSyncStatus'>
>;

export interface ConnectionRepository {
  /** Raises CONNECTION_NAME_TAKEN (409) when the workspace has a connection of that connector with that name. */
  create(input: CreateConnectionInput): Promise<Connection>;
  get(id: string): Promise<Connection | null>;
  findByConnector(workspaceId: string, connectorId: string): Promise<Connection[]>;
  findByWebhookToken(webhookToken: string): Promise<Connection | null>;
  /** Connections to a connector in every workspace, for webhooks that name their account only in the payload. */
  findAllByConnector(connectorId: string): Promise<Connection[]>;
  /** Connections of a workspace ordered by creation. */
  list(workspaceId: string): Promise<Connection[]>;
  /** Applies the patch and sets `updatedAt`. Returns null when no connection has that id. */
  update(id: string, patch: ConnectionPatch): Promise<Connection | null>;
  /** Deletes the connection with its credentials, mappings, sync runs, sync state and records. */
  delete(id: string): Promise<boolean>;
}

interface ConnectionRow {
  id: string;
  workspace_id: string;
  connector_id: string;
  name: string;
  config: unknown;
  auth_method: string;
  status: ConnectionStatus;
  health: unknown;
  webhook_token: string;
  created_at: unknown;
  updated_at: unknown;
  last_sync_at: unknown;
  last_sync_status: unknown;
}

function toConnection(row: ConnectionRow): Connection {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    connectorId: row.connector_id,
    name: row.name,
    config: parseJson(row.config) as Record<string, unknown>,
    authMethod: row.auth_method,
    status: row.status,
    health: parseJson(row.health) as Record<string, unknown> | null,
    webhookToken: row.webhook_token,
    createdAt: readRequiredTimestamp(row.created_at),
    updatedAt: readRequiredTimestamp(row.updated_at),
    lastSyncAt: readTimestamp(row.last_sync_at),
    lastSyncStatus: readOptionalString(row.last_sync_status),
  };
}

function nameTakenError(workspaceId: string, connectorId: string, name: string, cause: unknown): LumioError {
  return new LumioError(
    'CONNECTION_NAME_TAKEN',
    `Workspace "${workspaceId}" already has a ${connectorId} connection named "${name}"; choose another name.`,
    { status: 409, fault: 'caller', details: { workspaceId, connectorId, name }, cause },
  );
}

/** The list each `GET /v1/integrations` and `GET /v1/records` reads, written once so SQLite prepares it once (see select-rows.ts). */
const CONNECTIONS_OF_WORKSPACE_SQL = 'SELECT * FROM connections WHERE workspace_id = ? ORDER BY created_at, id';

export function createConnectionRepository(context: StoreContext): ConnectionRepository {
  const { knex, dialect } = context;

  async function get(id: string): Promise<Connection | null> {
    const row = await knex<ConnectionRow>('connections').where({ id }).first();
    return row ? toConnection(row) : null;
  }

  return {
    async create(input) {
      if (input.name.trim() === '') {
        throw new LumioError('CONNECTION_NAME_INVALID', 'The connection name is empty; give the connection a name.', { status: 400, fault: 'caller' });
      }

      const now = nowIso();
      const connection: Connection = {
        id: createTimeOrderedId('conn'),
        workspaceId: input.workspaceId,
        connectorId: input.connectorId,
        name: input.name,
        config: { ...(input.config ?? {}) },
        authMethod: input.authMethod,
        status: input.status ?? 'disconnected',
        health: null,
        webhookToken: input.webhookToken ?? randomBytes(32).toString('base64url'),
        createdAt: now,
        updatedAt: now,
        lastSyncAt: null,
        lastSyncStatus: null,
      };

      try {
        await knex('connections').insert({
          id: connection.id,
          workspace_id: connection.workspaceId,
          connector_id: connection.connectorId,
          name: connection.name,
          config: serializeJson(connection.config, dialect),
          auth_method: connection.authMethod,
          status: connection.status,
          health: null,
          webhook_token: connection.webhookToken,
          created_at: now,
          updated_at: now,
        });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw nameTakenError(input.workspaceId, input.connectorId, input.name, error);
        }
        if (isForeignKeyViolation(error)) {
          throw new LumioError('WORKSPACE_NOT_FOUND', `Workspace "${input.workspaceId}" does not exist; create it before adding connections.`, { status: 404, fault: 'caller', cause: error });
        }
        throw error;
      }
      return connection;
    },

    get,

    async findByConnector(workspaceId, connectorId) {
      const rows = await knex<ConnectionRow>('connections').where({ workspace_id: workspaceId, connector_id: connectorId }).orderBy('created_at').orderBy('id');
      return rows.map(toConnection);
    },

    async findByWebhookToken(webhookToken) {
      const row = await knex<ConnectionRow>('connections').where({ webhook_token: webhookToken }).first();
      return row ? toConnection(row) : null;
    },

    async findAllByConnector(connectorId) {
      const rows = await knex<ConnectionRow>('connections').where({ connector_id: connectorId }).orderBy('created_at').orderBy('id');
      return rows.map(toConnection);
    },

    async list(workspaceId) {
      const rows = await selectRows<ConnectionRow>(context, CONNECTIONS_OF_WORKSPACE_SQL, [workspaceId]);
      return rows.map(toConnection);
    },

    async update(id, patch) {
      const columns: Record<string, unknown> = { updated_at: nowIso() };
      if (patch.name !== undefined) columns.name = patch.name;
      if (patch.config !== undefined) columns.config = serializeJson(patch.config, dialect);
      if (patch.authMethod !== undefined) columns.auth_method = patch.authMethod;
      if (patch.status !== undefined) columns.status = patch.status;
      if (patch.health !== undefined) columns.health = patch.health === null ? null : serializeJson(patch.health, dialect);
      if (patch.webhookToken !== undefined) columns.webhook_token = patch.webhookToken;
      if (patch.lastSyncAt !== undefined) columns.last_sync_at = normalizeTimestamp(patch.lastSyncAt, 'lastSyncAt');
      if (patch.lastSyncStatus !== undefined) columns.last_sync_status = patch.lastSyncStatus;

      try {
        const changed = await knex('connections').where({ id }).update(columns);
        if (changed === 0) {
          return null;
        }
      } catch (error) {
        if (isUniqueViolation(error) && patch.name !== undefined && patch.webhookToken === undefined) {
          const current = await get(id);
          throw nameTakenError(current?.workspaceId ?? '', current?.connectorId ?? '', patch.name, error);
        }
        throw error;
      }
      return get(id);
    },

    async delete(id) {
      const deleted = await knex('connections').where({ id }).delete();
      return deleted > 0;
    },
  };
}

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { LumioError } from '../errors/index.js';
import type { Logger } from '../observability/index.js';
import type { Dialect } from './dialect.js';
import { describePostgresUrl, postgresKnexConfig, SQLITE_FILE_NAME, sqliteKnexConfig } from './knex-config.js';
import { startSqliteCheckpointer } from './sqlite-checkpointer.js';
import { MIGRATIONS_TABLE, migrationSource } from './migrations/migration-source.js';
import { createApiKeyRepository, type ApiKeyRepository } from './repositories/api-keys.js';
import { createConnectionRepository, type ConnectionRepository } from './repositories/connections.js';
import { createConnectorRepository, type ConnectorRepository } from './repositories/connectors.js';
import { createCredentialRepository, type CredentialRepository } from './repositories/credentials.js';
import { createJobRepository, type JobRepository } from './repositories/jobs.js';
import { createLockRepository, type LockRepository } from './repositories/locks.js';
import { createEventDeliveryRepository, type EventDeliveryRepository } from './repositories/event-deliveries.js';
import { createEventSubscriptionRepository, type EventSubscriptionRepository } from './repositories/event-subscriptions.js';
import { createLumioEventRepository, type LumioEventRepository } from './repositories/lumio-events.js';
import { createMappingRepository, type MappingRepository } from './repositories/mappings.js';
import { createPluginStateRepository, type PluginStateRepository } from './repositories/plugin-state.js';
import { createRecordCacheRepository, type RecordCacheRepository } from './repositories/record-cache.js';
import { createRecordRepository, type RecordRepository } from './repositories/records.js';
import { createRecordWriteRepository, type RecordWriteRepository } from './repositories/record-writes.js';
import { createSyncRunRepository, type SyncRunRepository } from './repositories/sync-runs.js';
import { createSyncRunLogRepository, type SyncRunLogRepository } from './repositories/sync-run-logs.js';
import { createSyncScheduleRepository, type SyncScheduleRepository } from './repositories/sync-schedules.js';
import { createSyncStateRepository, type SyncStateRepository } from './repositories/sync-state.js';
import { createSessionRepository, type SessionRepository } from './repositories/sessions.js';
import { createUserRepository, type UserRepository } from './repositories/users.js';
import { createWebhookEventRepository, type WebhookEventRepository } from './repositories/webhook-events.js';
import { createWebhookSecretRepository, type WebhookSecretRepository } from './repositories/webhook-secrets.js';
import { createWorkspaceRepository, type WorkspaceRepository } from './repositories/workspaces.js';
import { createWritebackSettingsRepository, type WritebackSettingsRepository } from './repositories/writeback-settings.js';
import { createAuditLogRepository, type AuditLogRepository } from './repositories/audit-log.js';
import { createConnectionDebugRepository, type ConnectionDebugRepository } from './repositories/connection-debug.js';
import { createEnvelopeRepository, type EnvelopeRepository } from './repositories/encrypted-envelopes.js';
import { createOAuthStateRepository, type OAuthStateRepository } from './repositories/oauth-states.js';
import type { StoreContext } from './store-context.js';

export interface OpenStoreOptions {
  /** A `postgres://` or `postgresql://` URL. Without it the store uses SQLite in `dataDir`. */
  databaseUrl?: string;
  /** Folder of the SQLite file (`lumio.sqlite`), created when missing. */
  dataDir: string;
  logger: Logger;
}

export interface Store {
  readonly dialect: Dialect;
  /** The underlying knex instance for health checks and tests. The repositories cover normal use. */
  readonly knex: Knex;
  readonly workspaces: WorkspaceRepository;
  readonly apiKeys: ApiKeyRepository;
  /** Studio users, their roles and password hashes. */
  readonly users: UserRepository;
  /** Studio login sessions, stored by the SHA-256 of their cookie token. */
  readonly sessions: SessionRepository;
  readonly connectors: ConnectorRepository;
  readonly connections: ConnectionRepository;
  readonly credentials: CredentialRepository;
  readonly mappings: MappingRepository;
  readonly syncRuns: SyncRunRepository;
  readonly syncState: SyncStateRepository;
  /** Per-run sync logs: pages, retries, record errors, starts and ends. */
  readonly syncRunLogs: SyncRunLogRepository;
  /** Scheduled syncs per connection and object. */
  readonly syncSchedules: SyncScheduleRepository;
  readonly records: RecordRepository;
  /** Stored records read as the response cache's last layer, and the times their cached reads were invalidated. */
  readonly recordCache: RecordCacheRepository;
  /** Canonical records queued for writing to providers, and their outcomes. */
  readonly recordWrites: RecordWriteRepository;
  /** Conflict policy and match fields of write-back, per connection. */
  readonly writebackSettings: WritebackSettingsRepository;
  /** Rows of the database lock that processes without Redis share. */
  readonly locks: LockRepository;
  /** Encrypted webhook signing secrets, one envelope per connection. */
  readonly webhookSecrets: WebhookSecretRepository;
  /** Received webhook deliveries and the queue of their events. */
  readonly webhookEvents: WebhookEventRepository;
  /** The outbox of Lumio's own events. */
  readonly lumioEvents: LumioEventRepository;
  /** Key-value state of connector plugins, per connection. */
  readonly pluginState: PluginStateRepository;
  /** The embedded durable job queue. */
  readonly jobs: JobRepository;
  /** Subscriptions to Lumio's own events. */
  readonly eventSubscriptions: EventSubscriptionRepository;
  /** Deliveries of Lumio's own events to subscriptions, and their attempt logs. */
  readonly eventDeliveries: EventDeliveryRepository;
  /** Audit entries of API changes and sign-ins. */
  readonly auditLog: AuditLogRepository;
  /** Time-limited verbose logging of provider requests, per connection. */
  readonly connectionDebug: ConnectionDebugRepository;
  /** Pending OAuth authorization code flows, found by the hash of their state. */
  readonly oauthStates: OAuthStateRepository;
  /** Envelopes of every encrypted table, for master key rotation. */
  readonly envelopes: EnvelopeRepository;
  /** Closes the database connections. Later calls do nothing. */
  /** Runs a trivial query; rejects when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

async function createKnex(options: OpenStoreOptions): Promise<{ knex: Knex; dialect: Dialect; location: string }> {
  if (options.databaseUrl) {
    if (!POSTGRES_URL.test(options.databaseUrl)) {
      throw new LumioError('STORE_DATABASE_URL_INVALID', 'The database URL does not start with postgres:// or postgresql://; pass a PostgreSQL URL, or leave it unset to use SQLite.', {
        status: 500,
        fault: 'platform',
      });
    }
    const knex = knexFactory(postgresKnexConfig(options.databaseUrl, options.logger));
    return { knex, dialect: 'postgres', location: describePostgresUrl(options.databaseUrl) };
  }

  // Owner-only because the folder contains the database and, by default, the master key.
  try {
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new LumioError('STORE_DATA_DIR_UNAVAILABLE', `Could not create the data folder ${options.dataDir}; check that the user running Lumio may write to its parent folder.`, {
      status: 500,
      fault: 'platform',
      details: { dataDir: options.dataDir },
      cause: error,
    });
  }
  const knex = knexFactory(sqliteKnexConfig(options.dataDir, options.logger, { backgroundCheckpoints: true }));
  return { knex, dialect: 'sqlite', location: path.join(options.dataDir, SQLITE_FILE_NAME) };
}

/** Opens the database, applies pending migrations and returns the repositories. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const { knex, dialect, location } = await createKnex(options);

  try {
    await knex.raw('SELECT 1');
  } catch (error) {
    await knex.destroy();
    throw new LumioError('STORE_CONNECTION_FAILED', `Could not open the ${dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'} database at ${location}; check that it is reachable and writable.`, {
      status: 500,
      fault: 'platform',
      details: { dialect, location },
      cause: error,
    });
  }

  try {
    const [, applied] = (await knex.migrate.latest({ migrationSource, tableName: MIGRATIONS_TABLE })) as [number, string[]];
    if (applied.length > 0) {
      options.logger.info({ dialect, location, migrations: applied }, 'applied database migrations');
    }
  } catch (error) {
    await knex.destroy();
    throw new LumioError('STORE_MIGRATION_FAILED', `Applying database migrations to ${location} failed; the database stays at its last completed migration, so fix the error in the cause and start again.`, {
      status: 500,
      fault: 'platform',
      details: { dialect, location },
      cause: error,
    });
  }
  options.logger.info({ dialect, location }, 'store opened');
  const checkpointer = dialect === 'sqlite' ? startSqliteCheckpointer(location, knex, options.logger) : null;

  const context: StoreContext = { knex, dialect, logger: options.logger };
  let closed = false;
  return {
    dialect,
    knex,
    workspaces: createWorkspaceRepository(context),
    apiKeys: createApiKeyRepository(context),
    users: createUserRepository(context),
    sessions: createSessionRepository(context),
    connectors: createConnectorRepository(context),
    connections: createConnectionRepository(context),
    credentials: createCredentialRepository(context),
    mappings: createMappingRepository(context),
    syncRuns: createSyncRunRepository(context),
    syncState: createSyncStateRepository(context),
    syncRunLogs: createSyncRunLogRepository(context),
    syncSchedules: createSyncScheduleRepository(context),
    records: createRecordRepository(context),
    recordCache: createRecordCacheRepository(context),
    recordWrites: createRecordWriteRepository(context),
    writebackSettings: createWritebackSettingsRepository(context),
    locks: createLockRepository(context),
    webhookSecrets: createWebhookSecretRepository(context),
    webhookEvents: createWebhookEventRepository(context),
    lumioEvents: createLumioEventRepository(context),
    pluginState: createPluginStateRepository(context),
    jobs: createJobRepository(context),
    eventSubscriptions: createEventSubscriptionRepository(context),
    eventDeliveries: createEventDeliveryRepository(context),
    auditLog: createAuditLogRepository(context),
    connectionDebug: createConnectionDebugRepository(context),
    oauthStates: createOAuthStateRepository(context),
    envelopes: createEnvelopeRepository(context),
    async ping() {
      await knex.raw('select 1');
    },
    async close() {
      if (closed) {
        return;
      }
      closed = true;
      await checkpointer?.stop();
      await knex.destroy();
      options.logger.info({ dialect, location }, 'store closed');
    },
  };
}

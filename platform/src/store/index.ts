export { openStore } from './open-store.js';
export type { OpenStoreOptions, Store } from './open-store.js';
export type { Dialect } from './dialect.js';
export { canonicalJson, computeContentHash } from './canonical-json.js';
export { createRandomId, createTimeOrderedId } from './ids.js';
export { DEFAULT_WORKSPACE_ID } from './repositories/workspaces.js';
export type { CreateWorkspaceInput, Workspace, WorkspaceRepository } from './repositories/workspaces.js';
export { API_KEY_PREFIX } from './repositories/api-keys.js';
export type { ApiKeyPage, ApiKeyRecord, ApiKeyRepository, CreateApiKeyOptions, CreatedApiKey, ListApiKeysOptions } from './repositories/api-keys.js';
export { MAX_API_KEY_PAGE_SIZE } from './repositories/api-keys.js';
export { MAX_USER_PAGE_SIZE } from './repositories/users.js';
export type { CreateUserInput, ListUsersOptions, StoredUser, UserPage, UserRepository, UserWithPasswordHash } from './repositories/users.js';
export type { CreateSessionInput, SessionRepository, StoredSession } from './repositories/sessions.js';
export type { ConnectorRepository, ConnectorStatus, StoredConnector, UpsertConnectorInput } from './repositories/connectors.js';
export type { Connection, ConnectionPatch, ConnectionRepository, ConnectionStatus, CreateConnectionInput } from './repositories/connections.js';
export type { CredentialRepository } from './repositories/credentials.js';
export { MAX_LOCK_KEY_LENGTH } from './repositories/locks.js';
export type { LockRepository } from './repositories/locks.js';
export type { CreateMappingVersionInput, MappingRepository, StoredMapping } from './repositories/mappings.js';
export { ACTIVE_SYNC_RUN_STATUSES } from './repositories/sync-runs.js';
export type {
  CreateSyncRunInput,
  ListSyncRunsOptions,
  SyncMode,
  SyncRun,
  SyncRunPatch,
  SyncRunRepository,
  SyncRunStatus,
  UpdateSyncRunOptions,
} from './repositories/sync-runs.js';
export type { SyncStateEntry, SyncStateRepository } from './repositories/sync-state.js';
export { MAX_SYNC_LOG_MESSAGE_LENGTH } from './repositories/sync-run-logs.js';
export type { ListSyncRunLogOptions, NewSyncRunLogEntry, SyncRunLogEntry, SyncRunLogKind, SyncRunLogPage, SyncRunLogRepository } from './repositories/sync-run-logs.js';
export type { StoredSyncSchedule, SyncScheduleDefinition, SyncScheduleRepository } from './repositories/sync-schedules.js';
export type { CachedRecord, FreshRecordQuery, RecordCacheRepository } from './repositories/record-cache.js';
export type { CountRecordsInput, ListRecordsInput, RecordPage, RecordRepository, RecordWithDataJson, StoredRecord } from './repositories/records.js';
export type { UpsertPageInput, UpsertPageResult, UpsertRecordRow } from './repositories/record-page.js';
export { RECORD_WRITE_STATUSES } from './repositories/record-write-rows.js';
export type { NewRecordWrite, RecordWrite, RecordWriteError, RecordWriteOperation, RecordWriteStatus, RecordWriteWarning } from './repositories/record-write-rows.js';
export type { CompleteRecordWritesInput, ListRecordWritesInput, PendingWriteBatch, RecordWriteOutcome, RecordWritePage, RecordWriteRepository } from './repositories/record-writes.js';
export type { WrittenRecord, WrittenRecordScope } from './repositories/written-records.js';
export { CONFLICT_POLICIES } from './repositories/writeback-settings.js';
export type { ConflictPolicy, WritebackSettings, WritebackSettingsRepository } from './repositories/writeback-settings.js';
export type { WebhookSecretRepository } from './repositories/webhook-secrets.js';
export type { WebhookEventRepository } from './repositories/webhook-events.js';
export { MAX_DEDUP_KEY_LENGTH, WEBHOOK_EVENT_STATUSES } from './repositories/webhook-event-types.js';
export type {
  ClaimDueOptions,
  CompleteOutcome,
  FailOutcome,
  InsertDeliveryResult,
  ListWebhookEventsOptions,
  NewLumioEvent,
  NewDelivery,
  NewEvent,
  ReplaySelection,
  StoredWebhookDelivery,
  StoredWebhookEvent,
  WebhookEventPage,
  WebhookEventStatus,
} from './repositories/webhook-event-types.js';
export { MAX_ERROR_MESSAGE_LENGTH } from './repositories/webhook-event-claims.js';
export type { AppendLumioEventInput, ListLumioEventsOptions, LumioEvent, LumioEventPage, LumioEventRepository } from './repositories/lumio-events.js';
export { MAX_SUBSCRIPTIONS_PER_WORKSPACE } from './repositories/event-subscriptions.js';
export type { CreateEventSubscriptionInput, EventSubscriptionRepository, StoredEventSubscription } from './repositories/event-subscriptions.js';
export type { EventDeliveryRepository } from './repositories/event-deliveries.js';
export { EVENT_DELIVERY_STATUSES } from './repositories/event-delivery-types.js';
export type {
  AttemptOutcome,
  ClaimedEventDelivery,
  ClaimEventDeliveriesOptions,
  DeliveryReplaySelection,
  EventDeliveryAttempt,
  EventDeliveryPage,
  EventDeliveryStatus,
  FailedAttemptOutcome,
  ListEventDeliveriesOptions,
  NewEventDelivery,
  StoredEventDelivery,
} from './repositories/event-delivery-types.js';
export type { PluginStateEntry, PluginStateRepository } from './repositories/plugin-state.js';
export { MAX_JOB_ERROR_MESSAGE_LENGTH } from './repositories/jobs.js';
export type { InsertJobResult, JobCompletion, JobFailure, JobRepository, StalledJob } from './repositories/jobs.js';
export type { ClaimJobsOptions } from './repositories/jobs-claim.js';
export type { NewJob, StoredBackoffType, StoredJob, StoredJobStatus } from './repositories/jobs-rows.js';
export { MAX_USER_AGENT_LENGTH } from './repositories/audit-log.js';
export type { AuditEntry, AuditEntryPage, AuditLogRepository, ListAuditEntriesOptions, NewAuditEntry } from './repositories/audit-log.js';
export type { ConnectionDebugRepository, ConnectionDebugSetting, DebugLevel } from './repositories/connection-debug.js';
export type { NewOAuthState, OAuthStateRepository, StoredOAuthState } from './repositories/oauth-states.js';
export { ENVELOPE_TABLES } from './repositories/encrypted-envelopes.js';
export type { EnvelopeKeyCount, EnvelopeRepository, EnvelopeTable, StoredEnvelope } from './repositories/encrypted-envelopes.js';

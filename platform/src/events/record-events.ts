import { isLumioError } from '../errors/index.js';
import type { Logger } from '../observability/index.js';
import type { Connection, Store, StoredWebhookEvent, SyncRun } from '../store/index.js';
import type { LumioEventType } from './event-types.js';

// Helpers that record Lumio events from the places where things happen (connections,
// syncs, the webhook worker). Recording is best effort: the action has already
// happened, so a failed write is logged instead of failing the action.

type EventStore = Pick<Store, 'lumioEvents'>;

interface EventToRecord {
  workspaceId: string;
  connectionId: string | null;
  type: LumioEventType;
  payload: Record<string, unknown>;
}

/** Appends an event to the outbox, logging instead of raising when the write fails. */
export async function recordLumioEvent(store: EventStore, logger: Logger, event: EventToRecord): Promise<void> {
  try {
    await store.lumioEvents.append(event);
  } catch (error) {
    logger.error({ err: error, workspaceId: event.workspaceId, connectionId: event.connectionId, eventType: event.type }, 'could not record a Lumio event; subscribers will not receive it');
  }
}

function errorSummary(error: unknown): { code: string; message: string; fault: string } {
  if (isLumioError(error)) {
    return { code: error.code, message: error.message, fault: error.fault };
  }
  // An error that is not a LumioError was not anticipated, so the platform is at fault.
  return { code: 'SYNC_FAILED', message: error instanceof Error ? error.message : String(error), fault: 'platform' };
}

export function recordIntegrationConnected(store: EventStore, logger: Logger, connection: Connection, reconnected: boolean): Promise<void> {
  return recordLumioEvent(store, logger, {
    workspaceId: connection.workspaceId,
    connectionId: connection.id,
    type: 'integration.connected',
    payload: { connector: connection.connectorId, name: connection.name, authMethod: connection.authMethod, reconnected },
  });
}

export function recordIntegrationDisconnected(store: EventStore, logger: Logger, connection: Connection): Promise<void> {
  return recordLumioEvent(store, logger, {
    workspaceId: connection.workspaceId,
    connectionId: connection.id,
    type: 'integration.disconnected',
    payload: { connector: connection.connectorId, name: connection.name },
  });
}

function syncPayload(run: SyncRun): Record<string, unknown> {
  return { runId: run.id, object: run.object, mode: run.mode, trigger: run.trigger };
}

export function recordSyncStarted(store: EventStore, logger: Logger, run: SyncRun): Promise<void> {
  return recordLumioEvent(store, logger, { workspaceId: run.workspaceId, connectionId: run.connectionId, type: 'sync.started', payload: syncPayload(run) });
}

/** `counts` are the run's record counts (read, inserted, updated, unchanged, deleted, pages). */
export function recordSyncCompleted(store: EventStore, logger: Logger, run: SyncRun, counts: Record<string, number>, durationMs: number): Promise<void> {
  return recordLumioEvent(store, logger, {
    workspaceId: run.workspaceId,
    connectionId: run.connectionId,
    type: 'sync.completed',
    payload: { ...syncPayload(run), counts, durationMs },
  });
}

/** Records `sync.failed`, and `error.critical` too when the platform itself is at fault. */
export async function recordSyncFailed(store: EventStore, logger: Logger, run: SyncRun, error: unknown): Promise<void> {
  const summary = errorSummary(error);
  const failure = { code: summary.code, message: summary.message, fault: summary.fault };
  await recordLumioEvent(store, logger, { workspaceId: run.workspaceId, connectionId: run.connectionId, type: 'sync.failed', payload: { ...syncPayload(run), error: failure } });

  if (summary.fault === 'platform') {
    await recordLumioEvent(store, logger, { workspaceId: run.workspaceId, connectionId: run.connectionId, type: 'error.critical', payload: { source: 'sync', ...syncPayload(run), error: failure } });
  }
}

/** Records `error.critical` for a webhook event that went to the dead-letter list. */
export function recordWebhookEventDead(store: EventStore, logger: Logger, event: StoredWebhookEvent, code: string, message: string): Promise<void> {
  return recordLumioEvent(store, logger, {
    workspaceId: event.workspaceId,
    connectionId: event.connectionId,
    type: 'error.critical',
    payload: {
      source: 'webhook',
      connector: event.connectorId,
      webhookEventId: event.id,
      webhookEventType: event.eventType,
      attempts: event.attempts,
      error: { code, message },
    },
  });
}

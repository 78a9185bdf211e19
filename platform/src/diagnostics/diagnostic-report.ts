import type { ConnectionService } from '../connections/index.js';
import { isLumioError } from '../errors/index.js';
import type { SharedServices } from '../services/pipeline/index.js';
import type { Connection, Store, StoredWebhookEvent, SyncRun } from '../store/index.js';
import type { WebhookSettingsService } from '../webhooks/index.js';
import type { Diagnostics } from './diagnostics.js';
import { platformVersion } from './platform-version.js';
import { scrubSecrets } from './scrub-secrets.js';

/** Sources the report reads. */
export interface DiagnosticSources {
  store: Store;
  connections: ConnectionService;
  shared: Pick<SharedServices, 'breakers' | 'limiter' | 'shared'>;
  webhookSettings: Pick<WebhookSettingsService, 'get'>;
  diagnostics: Diagnostics;
}

const RECENT_RUNS = 10;
const FAILED_RUNS = 5;
/** Runs searched for the latest failures. */
const RUNS_SCANNED = 100;
const FAILED_EVENTS = 10;

/**
 * Builds a support report of one connection: versions, status and health, breakers and
 * rate limits, recent sync runs and failures, failed webhook events, active mappings, the
 * names of its settings and its debug state. It contains names of credentials and config,
 * never their values. Before it is returned, every credential, webhook secret, verify
 * token and the webhook URL token is replaced in it wherever it appears, also as base64,
 * base64url or URL-encoded text.
 */
export async function buildDiagnosticReport(sources: DiagnosticSources, connection: Connection): Promise<Record<string, unknown>> {
  const { store, connections, shared, diagnostics } = sources;
  const connector = connections.requireConnector(connection.connectorId);
  const manifest = connector.manifest;

  const credentials = await readCredentials(connections, connection);
  const webhookSettings = await sources.webhookSettings.get(connection.id);
  const secrets = [...Object.values(credentials.values), ...webhookSettings.secrets, connection.webhookToken, ...(webhookSettings.verifyToken ? [webhookSettings.verifyToken] : [])];

  const runs = await store.syncRuns.list(connection.id, { limit: RUNS_SCANNED });
  const failedEvents = await listFailedEvents(store, connection);
  const rateLimits = await shared.limiter.snapshot(connection.id);

  const report = {
    generatedAt: new Date().toISOString(),
    platform: { version: platformVersion(), node: process.version, database: store.dialect, sharedAcrossProcesses: shared.shared },
    connector: { id: connector.id, name: manifest.name, version: manifest.version, manifestHash: connector.manifestHash, plugin: manifest.plugin !== undefined },
    connection: {
      id: connection.id,
      name: connection.name,
      status: connection.status,
      authMethod: connection.authMethod,
      health: connection.health,
      createdAt: connection.createdAt,
      updatedAt: connection.updatedAt,
      lastSync: connection.lastSyncAt,
      lastSyncStatus: connection.lastSyncStatus,
      configNames: Object.keys(connection.config).sort(),
      credentialNames: Object.keys(credentials.values).sort(),
      credentialsReadable: credentials.error === null,
      ...(credentials.error ? { credentialsError: credentials.error } : {}),
    },
    circuitBreakers: shared.breakers.snapshot(connection.id),
    // Budget storage keys are left out: the account part is derived from the credentials.
    rateLimits: rateLimits.map(({ key: _key, ...budget }) => ({ ...budget, pausedUntil: budget.pausedUntil === null ? null : new Date(budget.pausedUntil).toISOString() })),
    syncs: {
      recent: runs.slice(0, RECENT_RUNS).map(runSummary),
      recentFailures: runs.filter((run) => run.status === 'failed').slice(0, FAILED_RUNS).map(runSummary),
    },
    webhooks: {
      byStatus: await store.webhookEvents.countByStatus(connection.id),
      recentFailures: failedEvents.map(eventSummary),
      settings: { secrets: webhookSettings.secrets.length, allowedIps: webhookSettings.allowedIps.length, verifyToken: webhookSettings.verifyToken !== null },
    },
    mappings: await activeMappings(store, connection, Object.keys(manifest.objects)),
    debug: await diagnostics.debug.state(connection.id),
    requests: diagnostics.requests.summary(connection.id),
  };

  return scrubSecrets(report, secrets);
}

/** Decrypts the credentials only to list their names and to know which values to redact. */
async function readCredentials(connections: ConnectionService, connection: Connection): Promise<{ values: Record<string, string>; error: string | null }> {
  try {
    const { context } = await connections.open(connection);
    return { values: { ...context.credentials }, error: null };
  } catch (error) {
    if (!isLumioError(error)) throw error;
    return { values: {}, error: error.code };
  }
}

async function listFailedEvents(store: Store, connection: Connection): Promise<StoredWebhookEvent[]> {
  const options = { workspaceId: connection.workspaceId, connectionId: connection.id, limit: FAILED_EVENTS };
  const failed = await store.webhookEvents.list({ ...options, status: 'failed' });
  const dead = await store.webhookEvents.list({ ...options, status: 'dead' });
  return [...failed.events, ...dead.events].sort((a, b) => b.receivedAt - a.receivedAt).slice(0, FAILED_EVENTS);
}

async function activeMappings(store: Store, connection: Connection, objects: string[]) {
  const mappings = [];
  for (const object of objects) {
    const active = await store.mappings.activeFor(connection.id, object);
    if (active) mappings.push({ object, canonicalObject: active.canonicalObject, version: active.version, id: active.id, createdBy: active.createdBy, createdAt: active.createdAt });
  }
  return mappings;
}

function runSummary(run: SyncRun) {
  return {
    id: run.id,
    object: run.object,
    mode: run.mode,
    status: run.status,
    trigger: run.trigger,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    pages: run.pages,
    recordsRead: run.recordsRead,
    error: run.errorCode ? { code: run.errorCode, message: run.errorMessage } : null,
  };
}

function eventSummary(event: StoredWebhookEvent) {
  return {
    id: event.id,
    providerEventId: event.providerEventId,
    eventType: event.eventType,
    status: event.status,
    attempts: event.attempts,
    receivedAt: new Date(event.receivedAt).toISOString(),
    error: event.lastErrorCode ? { code: event.lastErrorCode, message: event.lastErrorMessage } : null,
  };
}

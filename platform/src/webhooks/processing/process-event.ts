import type { ConnectorManifest, FieldMapping, WebhookRoute } from '@lumio/plugin-sdk';

import type { ConnectionService } from '../../connections/index.js';
import { LumioError } from '../../errors/index.js';
import { applyMapping, compileMapping } from '../../mapping/index.js';
import { executeRequest, getPath, ProviderRequestError } from '../../runtime/index.js';
import { readSourceUpdatedAt } from '../../sync/index.js';
import type { Connection, Store, StoredWebhookEvent, UpsertPageResult } from '../../store/index.js';
import { TEST_RECORD_ID } from '../test-delivery/build-sample.js';
import { matchRoute } from './match-route.js';

/** Outcome of processing one event, stored with it and turned into Lumio events. */
export interface EventOutcome {
  status: 'processed' | 'ignored';
  result: Record<string, unknown>;
  lumioEvents: Array<{ type: string; payload: Record<string, unknown> }>;
}

export interface ProcessEventDependencies {
  store: Store;
  connections: ConnectionService;
}

/**
 * Applies one stored event: finds its route, then stores the event as the record, fetches
 * the record from the provider, or marks it deleted. Every step is idempotent, so an event
 * processed again after a crash leaves the same records. Only the completion, which records
 * the outcome and its Lumio events, happens exactly once.
 */
export async function processEvent(event: StoredWebhookEvent, deps: ProcessEventDependencies): Promise<EventOutcome> {
  const connection = await deps.store.connections.get(event.connectionId);
  if (!connection) {
    throw new LumioError('CONNECTION_NOT_FOUND', `Connection ${event.connectionId} no longer exists.`, { status: 404, fault: 'caller' });
  }
  const connector = deps.connections.requireConnector(connection.connectorId);
  const received = { type: 'webhook.received', payload: { connector: connector.id, eventId: event.id, eventType: event.eventType, providerEventId: event.providerEventId } };

  const route = matchRoute(connector.manifest.webhooks?.routes, event.eventType);
  if (!route) {
    return { status: 'ignored', result: { reason: event.eventType === null ? 'the event has no type' : 'no route matches the event type' }, lumioEvents: [received] };
  }

  const externalId = readExternalId(event.payload, route);
  if (externalId === TEST_RECORD_ID) {
    return { status: 'processed', result: { action: route.action, object: route.object, externalId, test: true }, lumioEvents: [received] };
  }

  const applied = await applyRoute(route, externalId, event, connection, connector.manifest, deps);
  const result = { action: route.action, object: route.object, externalId, ...applied.result };
  return { status: applied.skipped ? 'ignored' : 'processed', result, lumioEvents: [received, ...recordEvents(applied.counts, route.object, externalId)] };
}

interface AppliedRoute {
  counts: UpsertPageResult | null;
  skipped: boolean;
  result: Record<string, unknown>;
}

async function applyRoute(route: WebhookRoute, externalId: string, event: StoredWebhookEvent, connection: Connection, manifest: ConnectorManifest, deps: ProcessEventDependencies): Promise<AppliedRoute> {
  const mapping = await loadMapping(deps.store, connection, route.object);
  const [stored] = await deps.store.records.findByExternalIds(connection.id, mapping.canonicalObject, [externalId]);

  const stale = staleReason(route, event, stored);
  if (stale) return { counts: null, skipped: true, result: { skipped: stale } };

  if (route.action === 'delete') {
    return { counts: await writeRecord(deps.store, connection, route, mapping.canonicalObject, { externalId, data: null, raw: null, deleted: true }), skipped: false, result: {} };
  }

  let raw = event.payload;
  if (route.action === 'fetch') {
    const fetched = await fetchRecord(deps.connections, connection, manifest, route.object, externalId);
    if (fetched === null) {
      // The record is gone at the provider, as after a deletion event that came first.
      return { counts: await writeRecord(deps.store, connection, route, mapping.canonicalObject, { externalId, data: null, raw: null, deleted: true }), skipped: false, result: { notFound: true } };
    }
    raw = fetched;
  }

  const lookup = async (canonicalObject: string, ids: string[]) => {
    const found = await deps.store.records.findByExternalIds(connection.id, canonicalObject, ids);
    return new Map(found.map((record) => [record.externalId, { id: record.id, data: record.data as Record<string, unknown> }]));
  };
  const [mapped] = await applyMapping(mapping.compiled, [raw], { lookup });
  // A fetched record carries its own modification time; a pushed one is as new as its event.
  const occurredAt = event.occurredAt === null ? null : new Date(event.occurredAt).toISOString();
  const sourceUpdatedAt = route.action === 'fetch' ? (readSourceUpdatedAt(manifest.objects[route.object], raw) ?? occurredAt) : occurredAt;
  const counts = await writeRecord(deps.store, connection, route, mapping.canonicalObject, { externalId, data: mapped?.data ?? {}, raw, deleted: false, sourceUpdatedAt });
  return { counts, skipped: false, result: mapped && mapped.errors.length > 0 ? { mappingErrors: mapped.errors.length } : {} };
}

/**
 * Tells why an event is older than what is stored, or returns null. An event is stale when
 * the stored record changed after it happened, or when its status comes earlier in the
 * route's `statusOrder` than the stored status.
 */
function staleReason(route: WebhookRoute, event: StoredWebhookEvent, stored: { raw: unknown; sourceUpdatedAt: string | null } | undefined): string | null {
  if (!stored) return null;

  if (event.occurredAt !== null && stored.sourceUpdatedAt !== null && Date.parse(stored.sourceUpdatedAt) > event.occurredAt) {
    return 'the stored record changed after this event';
  }

  if (route.action === 'upsert' && route.statusOrder) {
    const { path, values } = route.statusOrder;
    const incoming = values.indexOf(String(getPath(event.payload, path)));
    const current = values.indexOf(String(getPath(stored.raw, path)));
    if (incoming !== -1 && current > incoming) return `the stored status "${values[current]}" comes after "${values[incoming]}"`;
  }
  return null;
}

async function fetchRecord(connections: ConnectionService, connection: Connection, manifest: ConnectorManifest, object: string, externalId: string): Promise<unknown> {
  const operation = manifest.objects[object]?.operations.get;
  if (!operation) {
    throw new LumioError('WEBHOOK_ROUTE_INVALID', `The route for ${object} fetches the record, but the manifest's ${object} object has no get operation.`, { status: 422, fault: 'connector' });
  }

  const { context } = await connections.open(connection);
  try {
    const response = await executeRequest(context, operation, { id: externalId }, { operation: 'get', object });
    return operation.recordSelector ? getPath(response.body, operation.recordSelector.path) : response.body;
  } catch (error) {
    if (error instanceof ProviderRequestError && error.providerStatus === 404) return null;
    throw error;
  }
}

function writeRecord(store: Store, connection: Connection, route: WebhookRoute, canonicalObject: string, row: { externalId: string; data: unknown; raw: unknown; deleted: boolean; sourceUpdatedAt?: string | null }): Promise<UpsertPageResult> {
  return store.records.upsertPage({ workspaceId: connection.workspaceId, connectionId: connection.id, object: canonicalObject, sourceObject: route.object, rows: [row] });
}

async function loadMapping(store: Store, connection: Connection, object: string) {
  const active = await store.mappings.activeFor(connection.id, object);
  if (!active) {
    throw new LumioError('MAPPING_MISSING', `Connection ${connection.id} has no field mapping for ${object}, so its webhook events cannot be stored; save one first.`, { status: 409, fault: 'caller' });
  }
  return { canonicalObject: active.canonicalObject, compiled: compileMapping(active.definition as FieldMapping) };
}

function readExternalId(payload: unknown, route: WebhookRoute): string {
  const value = getPath(payload, route.idPath);
  if ((typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value))) return String(value);
  throw new LumioError('WEBHOOK_EVENT_INVALID', `The event has no record id at "${route.idPath}", the route's idPath.`, { status: 422, fault: 'provider', details: { idPath: route.idPath } });
}

function recordEvents(counts: UpsertPageResult | null, object: string, externalId: string): EventOutcome['lumioEvents'] {
  if (!counts) return [];
  const payload = { object, externalId };
  if (counts.deleted > 0) return [{ type: 'record.deleted', payload }];
  if (counts.inserted > 0) return [{ type: 'record.created', payload }];
  if (counts.updated > 0) return [{ type: 'record.updated', payload }];
  return [];
}

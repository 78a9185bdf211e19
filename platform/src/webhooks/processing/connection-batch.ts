import type { FieldMapping, WebhookRoute } from '@lumio/plugin-sdk';

import type { ConnectionService } from '../../connections/index.js';
import type { LoadedConnector } from '../../connectors/index.js';
import { isLumioError, LumioError } from '../../errors/index.js';
import { compileMapping } from '../../mapping/index.js';
import { getPath } from '../../runtime/index.js';
import type { Connection, Store, StoredWebhookEvent } from '../../store/index.js';
import { TEST_RECORD_ID } from '../test-delivery/build-sample.js';
import { applyEvent, type ApplyContext, type LoadedMapping, type RoutedEvent } from './apply-event.js';
import { BATCH_WRITE_FAILED, BatchRecords } from './batch-records.js';
import type { EventOutcome, EventSettlement } from './event-outcome.js';
import { limitConcurrency } from './limit-concurrency.js';
import { matchRoute } from './match-route.js';

export interface ProcessingDependencies {
  store: Store;
  connections: ConnectionService;
}

/** Most provider requests of `fetch` routes that one connection's batch runs at the same time. */
const FETCH_CONCURRENCY = 4;

/** True for the error after which a connection's events are processed again one at a time. */
export function isBatchWriteFailure(error: unknown): boolean {
  return isLumioError(error) && error.code === BATCH_WRITE_FAILED;
}

/**
 * Processes claimed events of one connection, in their order, and returns how each ended.
 * The connection and each object's mapping are loaded once, the stored records of all
 * the events in one query per object, and the records are written once at the end. An
 * event that fails gets its error and the others go on. Raises WEBHOOK_BATCH_WRITE_FAILED
 * when writing the records failed; nothing of the batch is completed then.
 */
export async function processConnectionEvents(connectionId: string, events: StoredWebhookEvent[], deps: ProcessingDependencies): Promise<Map<string, EventSettlement>> {
  const settlements = new Map<string, EventSettlement>();
  const settleAll = (error: unknown) => {
    for (const event of events) settlements.set(event.id, { error });
    return settlements;
  };

  const connection = await deps.store.connections.get(connectionId);
  if (!connection) {
    return settleAll(new LumioError('CONNECTION_NOT_FOUND', `Connection ${connectionId} no longer exists.`, { status: 404, fault: 'caller' }));
  }
  let connector: LoadedConnector;
  try {
    connector = deps.connections.requireConnector(connection.connectorId);
  } catch (error) {
    return settleAll(error);
  }

  const records = new BatchRecords(deps.store, connection);
  const routed = await routeEvents(events, connector, connection, deps.store, settlements);
  // The events report changes to these objects at the provider, so their cached reads go
  // before any event of the batch fetches a record or another request reads the new one.
  for (const object of new Set(routed.map((item) => item.route.object))) await deps.connections.invalidateCachedReads(connection, object);
  for (const item of routed) records.reserve(item.mapping.canonicalObject, item.externalId);
  for (const canonicalObject of new Set(routed.map((item) => item.mapping.canonicalObject))) await records.load(canonicalObject);

  const context: ApplyContext = { connections: deps.connections, connection, manifest: connector.manifest, records, fetchSlots: limitConcurrency(FETCH_CONCURRENCY) };
  const step = async (item: RoutedEvent) => {
    try {
      settlements.set(item.event.id, { outcome: await applyEvent(item, context) });
    } catch (error) {
      if (isBatchWriteFailure(error)) throw error;
      settlements.set(item.event.id, { error });
    }
  };

  // A lookup reads other records from the database, so it must see every earlier event's
  // write: such batches run strictly in order.
  if (routed.some((item) => item.mapping.compiled.hasLookups)) {
    for (const item of routed) await step(item);
  } else {
    await runPerRecord(routed, step);
  }

  await records.flush();
  return settlements;
}

/**
 * Finds each event's route, record id and mapping, and returns the events to apply in their
 * order. Events that need no record (no route, a test delivery) and events that cannot be
 * applied are settled here.
 */
async function routeEvents(events: StoredWebhookEvent[], connector: LoadedConnector, connection: Connection, store: Store, settlements: Map<string, EventSettlement>): Promise<RoutedEvent[]> {
  const mappings = new Map<string, Promise<LoadedMapping>>();
  const routed: RoutedEvent[] = [];

  for (const event of events) {
    const received = { type: 'webhook.received', payload: { connector: connector.id, eventId: event.id, eventType: event.eventType, providerEventId: event.providerEventId } };
    const route = matchRoute(connector.manifest.webhooks?.routes, event.eventType);
    if (!route) {
      settlements.set(event.id, { outcome: ignored(event, received) });
      continue;
    }

    try {
      const externalId = readExternalId(event.payload, route);
      if (externalId === TEST_RECORD_ID) {
        settlements.set(event.id, { outcome: { status: 'processed', result: { action: route.action, object: route.object, externalId, test: true }, lumioEvents: [received] } });
        continue;
      }

      if (!mappings.has(route.object)) mappings.set(route.object, loadMapping(store, connection, route.object));
      routed.push({ event, route, externalId, mapping: await (mappings.get(route.object) as Promise<LoadedMapping>), received });
    } catch (error) {
      settlements.set(event.id, { error });
    }
  }
  return routed;
}

/**
 * Runs the events of each record one after another, in their order, and different records
 * at the same time, so a slow provider request holds up only the events of its record.
 * Raises the first batch write failure once every event has ended.
 */
async function runPerRecord(routed: RoutedEvent[], step: (item: RoutedEvent) => Promise<void>): Promise<void> {
  const tails = new Map<string, Promise<void>>();
  const runs = routed.map((item) => {
    const key = `${item.mapping.canonicalObject}\u0000${item.externalId}`;
    const run = (tails.get(key) ?? Promise.resolve()).then(() => step(item));
    tails.set(key, run);
    return run;
  });

  const results = await Promise.allSettled(runs);
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
}

function ignored(event: StoredWebhookEvent, received: RoutedEvent['received']): EventOutcome {
  return { status: 'ignored', result: { reason: event.eventType === null ? 'the event has no type' : 'no route matches the event type' }, lumioEvents: [received] };
}

async function loadMapping(store: Store, connection: Connection, object: string): Promise<LoadedMapping> {
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

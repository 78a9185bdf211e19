import type { ConnectorManifest, WebhookRoute } from '@lumio/plugin-sdk';

import type { ConnectionService } from '../../connections/index.js';
import { applyMapping, type CompiledMapping } from '../../mapping/index.js';
import type { Connection, StoredWebhookEvent } from '../../store/index.js';
import { readSourceUpdatedAt } from '../../sync/index.js';
import type { BatchRecords, RecordChange } from './batch-records.js';
import { recordEvents, type EventOutcome } from './event-outcome.js';
import { fetchRecord } from './fetch-record.js';
import type { ConcurrencyLimit } from './limit-concurrency.js';
import { staleReason } from './stale-reason.js';

/** The connection's active mapping of one manifest object, compiled. */
export interface LoadedMapping {
  canonicalObject: string;
  compiled: CompiledMapping;
}

/** An event whose route and record are known, ready to apply. */
export interface RoutedEvent {
  event: StoredWebhookEvent;
  route: WebhookRoute;
  externalId: string;
  mapping: LoadedMapping;
  /** The `webhook.received` Lumio event it emits whatever happens to the record. */
  received: EventOutcome['lumioEvents'][number];
}

/** Dependencies shared by the events of one connection's batch. */
export interface ApplyContext {
  connections: ConnectionService;
  connection: Connection;
  manifest: ConnectorManifest;
  records: BatchRecords;
  /** Bounds the provider requests of `fetch` routes that run at the same time. */
  fetchSlots: ConcurrencyLimit;
}

interface AppliedRoute {
  change: RecordChange | null;
  skipped: boolean;
  result: Record<string, unknown>;
}

/**
 * Applies one event to the batch's records: stores the event as the record, fetches the
 * record from the provider, or marks it deleted. An event older than the record as the
 * batch left it is ignored. Every step is idempotent, so an event processed again after a
 * crash leaves the same records.
 */
export async function applyEvent(routed: RoutedEvent, context: ApplyContext): Promise<EventOutcome> {
  const { route, externalId } = routed;
  const applied = await applyRoute(routed, context);

  const result = { action: route.action, object: route.object, externalId, ...applied.result };
  return { status: applied.skipped ? 'ignored' : 'processed', result, lumioEvents: [routed.received, ...recordEvents(applied.change, route.object, externalId)] };
}

async function applyRoute({ event, route, externalId, mapping }: RoutedEvent, context: ApplyContext): Promise<AppliedRoute> {
  const { records, connection, manifest } = context;
  const { canonicalObject } = mapping;

  const stale = staleReason(route, event, records.current(canonicalObject, externalId));
  if (stale) return { change: null, skipped: true, result: { skipped: stale } };

  const deletion = { externalId, data: null, raw: null, deleted: true };
  if (route.action === 'delete') {
    return { change: await records.apply(canonicalObject, route.object, deletion), skipped: false, result: {} };
  }

  let raw = event.payload;
  if (route.action === 'fetch') {
    const fetched = await context.fetchSlots(() => fetchRecord(context.connections, connection, manifest, route.object, externalId));
    if (fetched === null) {
      // The record is gone at the provider, as after a deletion event that came first.
      return { change: await records.apply(canonicalObject, route.object, deletion), skipped: false, result: { notFound: true } };
    }
    raw = fetched;
  }

  const [mapped] = await applyMapping(mapping.compiled, [raw], { lookup: records.lookup });
  // A fetched record carries its own modification time; a pushed one is as new as its event.
  const occurredAt = event.occurredAt === null ? null : new Date(event.occurredAt).toISOString();
  const sourceUpdatedAt = route.action === 'fetch' ? (readSourceUpdatedAt(manifest.objects[route.object], raw) ?? occurredAt) : occurredAt;
  const change = await records.apply(canonicalObject, route.object, { externalId, data: mapped?.data ?? {}, raw, deleted: false, sourceUpdatedAt });
  return { change, skipped: false, result: mapped && mapped.errors.length > 0 ? { mappingErrors: mapped.errors.length } : {} };
}

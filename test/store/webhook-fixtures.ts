import type { Connection, NewDelivery, NewEvent, Store, StoredWebhookEvent } from '../../platform/src/store/index.js';

let sequence = 0;

/** Returns a dedup key unique within the test run. */
export function uniqueKey(label = 'evt'): string {
  sequence += 1;
  return `${label}-${sequence}-${Math.random().toString(36).slice(2, 8)}`;
}

export function newEvent(dedupKey: string, overrides: Partial<NewEvent> = {}): NewEvent {
  return { dedupKey, providerEventId: dedupKey, eventType: 'contact.creation', payload: { id: dedupKey, name: 'Ada' }, occurredAt: 1_700_000_000_000, ...overrides };
}

/** Builds a JSON delivery of `connection` carrying events with the given dedup keys. */
export function newDelivery(connection: Connection, dedupKeys: string[], overrides: Partial<NewDelivery> = {}): NewDelivery {
  const events = dedupKeys.map((key) => newEvent(key));
  return {
    workspaceId: connection.workspaceId,
    connectionId: connection.id,
    connectorId: connection.connectorId,
    receivedAt: 1_700_000_000_000,
    method: 'POST',
    contentType: 'application/json',
    headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': 'c2lnbmF0dXJl' },
    body: Buffer.from(JSON.stringify(events.map((event) => event.payload)), 'utf8'),
    sourceIp: '127.0.0.1',
    events,
    ...overrides,
  };
}

/** Stores one delivery per key and returns the stored events, in key order. */
export async function storeEvents(store: Store, connection: Connection, dedupKeys: string[], receivedAt = 1_000): Promise<StoredWebhookEvent[]> {
  const results = await store.webhookEvents.insertDeliveries(dedupKeys.map((key) => newDelivery(connection, [key], { receivedAt })));
  const events: StoredWebhookEvent[] = [];
  for (const result of results) {
    const inserted = result.inserted[0];
    if (!inserted) {
      throw new Error('a test event was unexpectedly a duplicate');
    }
    const event = await store.webhookEvents.get(connection.workspaceId, inserted.id);
    if (!event) {
      throw new Error(`event ${inserted.id} was not stored`);
    }
    events.push(event);
  }
  return events;
}

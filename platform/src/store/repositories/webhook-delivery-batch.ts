import { createHash } from 'node:crypto';
import { LumioError } from '../../errors/index.js';
import type { Dialect } from '../dialect.js';
import { createTimeOrderedId } from '../ids.js';
import { adaptJsonToDialect, serializeJson } from '../values.js';
import { MAX_DEDUP_KEY_LENGTH, type InsertDeliveryResult, type NewDelivery, type NewEvent } from './webhook-event-types.js';

// Database-independent steps of `webhookEvents.insertDeliveries`: validating a batch,
// serialising it with ids assigned, and deciding which events are new once the ids of
// stored events with the same dedup keys are known.

export interface PreparedWebhookEvent {
  id: string;
  dedupKey: string;
  providerEventId: string | null;
  eventType: string | null;
  /** JSON text. */
  payload: string;
  occurredAt: number | null;
}

export interface PreparedWebhookDelivery {
  id: string;
  workspaceId: string;
  connectionId: string;
  connectorId: string;
  receivedAt: number;
  method: string;
  contentType: string | null;
  /** JSON text. */
  headers: string;
  body: Buffer;
  bodySha256: string;
  sourceIp: string | null;
  events: PreparedWebhookEvent[];
}

/** Rows to write for one delivery: the delivery (when `newEvents` is not empty) and its new events. */
export interface DeliveryPlan {
  delivery: PreparedWebhookDelivery;
  newEvents: PreparedWebhookEvent[];
  result: InsertDeliveryResult;
}

/** Orders strings by UTF-16 code units, independent of locale. */
export function compareCodeUnits(left: string, right: string): number {
  if (left < right) {
    return -1;
  }
  return left > right ? 1 : 0;
}

/** Map key of a connection's dedup key. */
export function dedupIdentity(connectionId: string, dedupKey: string): string {
  return `${connectionId}\u0000${dedupKey}`;
}

function invalidDeliveryError(index: number, message: string): LumioError {
  return new LumioError('WEBHOOK_DELIVERY_INVALID', `Delivery ${index} of the batch ${message}`, { status: 500, fault: 'platform', details: { index } });
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isOptionalTime(value: unknown): boolean {
  return value === null || value === undefined || (Number.isSafeInteger(value) && (value as number) >= 0);
}

function checkEvent(event: NewEvent, deliveryIndex: number, eventIndex: number): void {
  if (!isNonEmptyString(event.dedupKey) || event.dedupKey.length > MAX_DEDUP_KEY_LENGTH || event.dedupKey.includes('\u0000')) {
    throw invalidDeliveryError(deliveryIndex, `has event ${eventIndex} without a valid dedup key; pass a string of 1 to ${MAX_DEDUP_KEY_LENGTH} characters without U+0000, hashing other provider ids.`);
  }
  for (const field of ['providerEventId', 'eventType'] as const) {
    const value = event[field];
    if (value !== null && value !== undefined && typeof value !== 'string') {
      throw invalidDeliveryError(deliveryIndex, `has event ${eventIndex} whose ${field} is not a string; pass a string or null.`);
    }
  }
  if (event.payloadJson !== undefined && typeof event.payloadJson !== 'string') {
    throw invalidDeliveryError(deliveryIndex, `has event ${eventIndex} whose payloadJson is not a string; pass the payload's JSON text or leave it out.`);
  }
  if (!isOptionalTime(event.occurredAt)) {
    throw invalidDeliveryError(deliveryIndex, `has event ${eventIndex} whose occurredAt is not epoch milliseconds; pass a non-negative integer or null.`);
  }
}

function checkDelivery(delivery: NewDelivery, index: number): void {
  for (const field of ['workspaceId', 'connectionId', 'connectorId', 'method'] as const) {
    if (!isNonEmptyString(delivery[field])) {
      throw invalidDeliveryError(index, `has no ${field}; pass a non-empty string.`);
    }
  }
  if (!(delivery.body instanceof Uint8Array)) {
    throw invalidDeliveryError(index, 'has a body that is not a Buffer or Uint8Array; pass the raw request bytes.');
  }
  if (delivery.headers === null || typeof delivery.headers !== 'object' || Array.isArray(delivery.headers)) {
    throw invalidDeliveryError(index, 'has headers that are not an object; pass the request headers by name.');
  }
  if (delivery.contentType !== null && delivery.contentType !== undefined && typeof delivery.contentType !== 'string') {
    throw invalidDeliveryError(index, 'has a contentType that is not a string; pass the Content-Type header, or null without one.');
  }
  if (delivery.sourceIp !== null && delivery.sourceIp !== undefined && typeof delivery.sourceIp !== 'string') {
    throw invalidDeliveryError(index, 'has a sourceIp that is not a string; pass the client address, or null.');
  }
  if (delivery.bodySha256 !== undefined && typeof delivery.bodySha256 !== 'string') {
    throw invalidDeliveryError(index, 'has a bodySha256 that is not a string; pass the hex SHA-256 of the body, or leave it out.');
  }
  if (delivery.receivedAt !== undefined && !isOptionalTime(delivery.receivedAt)) {
    throw invalidDeliveryError(index, 'has a receivedAt that is not epoch milliseconds; pass a non-negative integer or leave it out.');
  }
  if (!Array.isArray(delivery.events) || delivery.events.length === 0) {
    throw invalidDeliveryError(index, 'has no events; store a delivery only when at least one event was parsed from it.');
  }
  delivery.events.forEach((event, eventIndex) => checkEvent(event, index, eventIndex));
}

/**
 * PostgreSQL rejects U+0000 in text, so on PostgreSQL it becomes U+FFFD in the text
 * columns a provider controls. SQLite stores it unchanged.
 */
export function storableText(text: string, dialect: Dialect): string;
export function storableText(text: string | null | undefined, dialect: Dialect): string | null;
export function storableText(text: string | null | undefined, dialect: Dialect): string | null {
  if (text === null || text === undefined) {
    return null;
  }
  return dialect === 'postgres' ? text.replaceAll('\u0000', '\ufffd') : text;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Validates every delivery, then assigns ids and serialises JSON. An invalid delivery
 * raises WEBHOOK_DELIVERY_INVALID before anything of the batch is written.
 */
export function prepareDeliveries(deliveries: NewDelivery[], dialect: Dialect, now: number): PreparedWebhookDelivery[] {
  deliveries.forEach((delivery, index) => checkDelivery(delivery, index));

  return deliveries.map((delivery, index) => {
    const body = toBuffer(delivery.body);
    const bodySha256 = createHash('sha256').update(body).digest('hex');
    if (delivery.bodySha256 !== undefined && delivery.bodySha256.toLowerCase() !== bodySha256) {
      throw invalidDeliveryError(index, 'has a bodySha256 that does not match its body; pass the hex SHA-256 of the body, or leave it out.');
    }

    return {
      id: createTimeOrderedId('whd'),
      workspaceId: delivery.workspaceId,
      connectionId: delivery.connectionId,
      connectorId: delivery.connectorId,
      receivedAt: delivery.receivedAt ?? now,
      method: storableText(delivery.method, dialect),
      contentType: storableText(delivery.contentType, dialect),
      headers: serializeJson(delivery.headers, dialect),
      body,
      bodySha256,
      sourceIp: storableText(delivery.sourceIp, dialect),
      events: delivery.events.map((event) => ({
        id: createTimeOrderedId('whe'),
        dedupKey: event.dedupKey,
        providerEventId: storableText(event.providerEventId, dialect),
        eventType: storableText(event.eventType, dialect),
        payload: event.payloadJson === undefined ? serializeJson(event.payload, dialect) : adaptJsonToDialect(event.payloadJson, event.payload, dialect, JSON.stringify),
        occurredAt: event.occurredAt ?? null,
      })),
    };
  });
}

/**
 * Sorts each event into new or duplicate. `findExisting` returns the id of a stored event
 * with the same connection and dedup key. Within the batch the first occurrence of a key
 * wins, and later ones are duplicates of it.
 */
export function planDeliveries(deliveries: PreparedWebhookDelivery[], findExisting: (connectionId: string, dedupKey: string) => string | undefined): DeliveryPlan[] {
  const claimedInBatch = new Map<string, string>();

  return deliveries.map((delivery) => {
    const newEvents: PreparedWebhookEvent[] = [];
    const duplicates: InsertDeliveryResult['duplicates'] = [];

    for (const event of delivery.events) {
      const identity = dedupIdentity(delivery.connectionId, event.dedupKey);
      const existingId = claimedInBatch.get(identity) ?? findExisting(delivery.connectionId, event.dedupKey);
      if (existingId !== undefined) {
        duplicates.push({ dedupKey: event.dedupKey, existingId });
        continue;
      }
      claimedInBatch.set(identity, event.id);
      newEvents.push(event);
    }

    const inserted = newEvents.map((event) => ({ id: event.id, dedupKey: event.dedupKey }));
    return { delivery, newEvents, result: { deliveryId: newEvents.length > 0 ? delivery.id : null, inserted, duplicates } };
  });
}

import { createHash } from 'node:crypto';

import type { WebhookDefinition } from '@lumio/plugin-sdk';

import { canonicalJson } from '../../store/index.js';
import { describePipedriveEvent, readLocation, splitEvents, type LocationScope } from '../payload/index.js';

/** One event of a delivery, ready to store. */
export interface ExtractedEvent {
  /** Key of the duplicate check: the provider's event id when there is one. */
  dedupKey: string;
  providerEventId: string | null;
  eventType: string | null;
  payload: unknown;
  /** JSON text of `payload`, set when the event is the whole body and the body's text is known. */
  payloadJson?: string;
  /** Epoch milliseconds, or null when the event carries no time. */
  occurredAt: number | null;
}

export interface DeliveryParts {
  headers: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** Delivery id from the scheme's headers, such as `webhook-id`. */
  deliveryId: string | undefined;
  /** JSON text of the whole body, when it was parsed from JSON and not normalised. */
  bodyJson?: string;
}

/**
 * Splits a parsed delivery into events and reads each one's id, type and time from the
 * locations the manifest declares. An event with no id is keyed by the delivery id, or else by a
 * hash of its content, so a provider's redelivery of the same bytes is still a duplicate.
 */
export function extractEvents(definition: WebhookDefinition, scheme: string, body: unknown, parts: DeliveryParts): ExtractedEvent[] {
  const events = splitEvents(body, definition.events?.path);

  return events.map((payload, index) => {
    const fallback = scheme === 'pipedrive' ? describePipedriveEvent(payload) : undefined;
    const scope = { headers: parts.headers, query: parts.query, event: payload };
    const providerEventId = (definition.eventId ? readLocation(definition.eventId, scope) : fallback && pipedriveEventId(scope)) ?? null;
    const eventType = (definition.eventType ? readLocation(definition.eventType, scope) : fallback?.type) ?? null;
    const occurredAt = definition.occurredAt ? parseOccurredAt(readLocation(definition.occurredAt, scope)) : null;

    const dedupKey = dedupKeyOf(providerEventId, parts.deliveryId, events.length, index, payload);
    // An event that is the whole body keeps the body's text, which saves serialising it again.
    if (parts.bodyJson !== undefined && events.length === 1 && payload === body) {
      return { dedupKey, providerEventId, eventType, payload, payloadJson: parts.bodyJson, occurredAt };
    }
    return { dedupKey, providerEventId, eventType, payload, occurredAt };
  });
}

/**
 * Returns the event id Pipedrive webhooks v2 send in `meta.id`. The id `describePipedriveEvent`
 * returns belongs to the changed record, so keying duplicates by it would drop every later
 * change to that record. Webhooks v1 send no event id, so their events are keyed by content.
 */
function pipedriveEventId(scope: LocationScope): string | undefined {
  if (readLocation({ in: 'body', path: 'meta.version' }, scope) !== '2.0') return undefined;
  return readLocation({ in: 'body', path: 'meta.id' }, scope);
}

export function dedupKeyOf(eventId: string | null, deliveryId: string | undefined, count: number, index: number, payload: unknown): string {
  if (eventId) return storableKey('event', eventId);
  if (deliveryId) return storableKey('delivery', count === 1 ? deliveryId : `${deliveryId}:${index}`);
  return `sha256:${sha256(canonicalJson(payload))}`;
}

/** Most characters of a provider id kept as it is in a key; longer ids are hashed. */
const MAX_PLAIN_ID_LENGTH = 256;

/** Keeps a provider id readable in its key unless it is long or contains a NUL, which PostgreSQL text cannot store. */
function storableKey(kind: string, id: string): string {
  if (id.length <= MAX_PLAIN_ID_LENGTH && !id.includes('\u0000')) return `${kind}:${id}`;
  return `${kind}-sha256:${sha256(id)}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const EPOCH_SECONDS_BELOW = 1e11;

/** Reads an ISO 8601 time, or epoch seconds or milliseconds; anything else is treated as absent. */
export function parseOccurredAt(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  if (/^\d{1,16}$/.test(value)) {
    // WhatsApp, Slack and Stripe send epoch seconds. Below 10^11, milliseconds would date
    // the event before March 1973, so such a value is read as seconds.
    const number = Number(value);
    return number < EPOCH_SECONDS_BELOW ? number * 1000 : number;
  }

  // Date.parse also reads forms such as "-5" as dates, so only ISO 8601 dates are passed to it.
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return null;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}

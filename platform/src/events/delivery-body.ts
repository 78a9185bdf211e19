import type { LumioEvent } from '../store/index.js';

/** The JSON body subscribers receive, in the shape the Standard Webhooks specification recommends. */
export interface DeliveryBody {
  type: string;
  /** When the event happened (ISO 8601 UTC), the same on every attempt. */
  timestamp: string;
  /** The event's payload, with `connectionId` added for events about a connection. */
  data: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Serialises the body of an event. The text depends only on the stored event, so every
 * attempt of a delivery sends, and signs, the same bytes.
 */
export function buildDeliveryBody(event: LumioEvent): string {
  const data = isPlainObject(event.payload) && event.connectionId !== null ? { connectionId: event.connectionId, ...event.payload } : event.payload;
  const body: DeliveryBody = { type: event.type, timestamp: new Date(event.createdAt).toISOString(), data };
  return JSON.stringify(body);
}

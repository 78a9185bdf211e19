import type { WebhookRoute } from '@lumio/plugin-sdk';

import { getPath } from '../../runtime/index.js';
import type { StoredWebhookEvent } from '../../store/index.js';

/** The fields of a stored record that decide whether an event is stale. */
export interface RecordSnapshot {
  /** The provider's record as stored; a deletion keeps the last one. */
  raw: unknown;
  /** When the provider last changed the record (ISO 8601), or null when unknown. */
  sourceUpdatedAt: string | null;
}

/**
 * Tells why an event is older than what is stored, or returns null. An event is stale when
 * the stored record changed after it happened, or when its status comes earlier in the
 * route's `statusOrder` than the stored status.
 */
export function staleReason(route: WebhookRoute, event: Pick<StoredWebhookEvent, 'occurredAt' | 'payload'>, stored: RecordSnapshot | undefined): string | null {
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

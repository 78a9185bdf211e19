// Types of the webhook event repository. All times are epoch milliseconds.

/**
 * Life cycle of a webhook event: `received` (waiting for a worker), `processing` (a
 * worker holds its lock), then `processed` or `ignored` when done, `failed` when a
 * retry is scheduled, or `dead` when no retry is left.
 */
export type WebhookEventStatus = 'received' | 'processing' | 'processed' | 'ignored' | 'failed' | 'dead';

export const WEBHOOK_EVENT_STATUSES: readonly WebhookEventStatus[] = ['received', 'processing', 'processed', 'ignored', 'failed', 'dead'];

/** Maximum length of a dedup key, in characters. Callers hash longer provider ids. */
export const MAX_DEDUP_KEY_LENGTH = 512;

/** One event parsed from a delivery. */
export interface NewEvent {
  /**
   * Key that identifies the event among the connection's events: the provider's event
   * id, or a hash of the content when the provider sends none. An event whose key the
   * connection already has is a duplicate and is not stored again. It must not contain
   * U+0000, which PostgreSQL cannot store in text.
   */
  dedupKey: string;
  providerEventId?: string | null;
  /** The provider's event type, e.g. `contact.creation`. */
  eventType?: string | null;
  payload: unknown;
  /**
   * JSON text of `payload` when the caller has it already, such as the body of a
   * delivery that is one event. The store keeps this text instead of serialising
   * `payload` again, so the caller must pass text that parses to `payload`.
   */
  payloadJson?: string;
  /** Time the event happened, as the provider reports it. */
  occurredAt?: number | null;
}

/** A verified webhook request and the events parsed from it. */
export interface NewDelivery {
  workspaceId: string;
  connectionId: string;
  connectorId: string;
  /** Default: the time `insertDeliveries` is called. New events are due at this time. */
  receivedAt?: number;
  method: string;
  /** Null when the request had no Content-Type header. */
  contentType: string | null;
  /** Stored as given, so the caller removes credential headers such as Authorization first. */
  headers: Record<string, string | string[]>;
  /** The raw request body, stored byte for byte. */
  body: Uint8Array;
  /** SHA-256 of `body` in hex, when the caller has computed it. The store computes it anyway and rejects a mismatch. */
  bodySha256?: string;
  sourceIp?: string | null;
  /** At least one event. */
  events: NewEvent[];
}

/** Outcome of one delivery of a batch. */
export interface InsertDeliveryResult {
  /** Id of the stored delivery, or null when every event was a duplicate and nothing was stored. */
  deliveryId: string | null;
  /** Events stored as new, in the order of the delivery's events. */
  inserted: Array<{ id: string; dedupKey: string }>;
  /**
   * Events whose dedup key the connection already had. A key repeated within the batch
   * counts as a duplicate of its first occurrence.
   */
  duplicates: Array<{ dedupKey: string; existingId: string }>;
}

export interface StoredWebhookEvent {
  /** `whe_…`, time-ordered. */
  id: string;
  workspaceId: string;
  connectionId: string;
  connectorId: string;
  deliveryId: string;
  dedupKey: string;
  providerEventId: string | null;
  eventType: string | null;
  payload: unknown;
  occurredAt: number | null;
  status: WebhookEventStatus;
  /** Claims so far, counting the one in progress. */
  attempts: number;
  /** Time from which a worker may claim the event if it is `received` or `failed`. */
  nextAttemptAt: number;
  /** Worker that claimed the event, while it is `processing`. */
  lockedBy: string | null;
  /** Expiry of the claim, after which another worker may take the event over. */
  lockedUntil: number | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  /** Output of processing (records touched, reason for ignoring), or null. */
  result: unknown;
  receivedAt: number;
  /** Time the event became `processed` or `ignored`. */
  processedAt: number | null;
}

/** A stored delivery with its body, for showing what a provider sent. */
export interface StoredWebhookDelivery {
  /** `whd_…`, time-ordered. */
  id: string;
  workspaceId: string;
  connectionId: string;
  connectorId: string;
  receivedAt: number;
  method: string;
  contentType: string | null;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** SHA-256 of `body`, lowercase hex. */
  bodySha256: string;
  sourceIp: string | null;
  /** Events stored from this delivery, duplicates not counted. */
  eventCount: number;
}

export interface ClaimDueOptions {
  /** Id of the claiming worker, unique per process. Completing or failing an event needs the same id. */
  workerId: string;
  /** 1 to 1000. */
  limit: number;
  /** Duration of the claim in milliseconds, after which another worker may take the event over. */
  lockMs: number;
  now: number;
}

export interface CompleteOutcome {
  status: 'processed' | 'ignored';
  result: unknown;
}

/** One event of a `completeMany` call: its outcome and the Lumio events it emits. */
export interface EventCompletion {
  eventId: string;
  outcome: CompleteOutcome;
  lumioEvents?: NewLumioEvent[];
}

/** A Lumio event to emit when a webhook event completes. Workspace, connection and source come from the webhook event. */
export interface NewLumioEvent {
  /** E.g. `contact.updated`. Each type is emitted at most once per webhook event. */
  type: string;
  payload: unknown;
}

export interface FailOutcome {
  /** Stable error code, e.g. `MAPPING_FAILED`. */
  code: string;
  message: string;
  /** Time of the next attempt, or null to give up and mark the event `dead`. */
  nextAttemptAt: number | null;
}

export interface ListWebhookEventsOptions {
  workspaceId: string;
  connectionId: string;
  status?: WebhookEventStatus;
  /** 1 to 1000. */
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
}

export interface WebhookEventPage {
  /** Newest first. */
  events: StoredWebhookEvent[];
  /** Cursor of the next (older) page, or null on the last page. */
  nextCursor: string | null;
}

/** Events to replay: these ids, or every event of the connection with this status. */
export type ReplaySelection = string[] | { status: 'dead' | 'failed' };

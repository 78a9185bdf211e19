import type { LumioEvent } from './lumio-events.js';

// Types of the event delivery repository. All times are epoch milliseconds.

/**
 * Life cycle of a delivery of one Lumio event to one subscription: `pending` (waiting for
 * its first attempt), `sending` (a dispatcher holds its lock), then `succeeded`, `failed`
 * when a retry is scheduled, or `dead` when no retry is left.
 */
export type EventDeliveryStatus = 'pending' | 'sending' | 'succeeded' | 'failed' | 'dead';

export const EVENT_DELIVERY_STATUSES: readonly EventDeliveryStatus[] = ['pending', 'sending', 'succeeded', 'failed', 'dead'];

export interface StoredEventDelivery {
  /** `msg_…`, time-ordered. Sent as `webhook-id` on every attempt, replays included. */
  id: string;
  workspaceId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  status: EventDeliveryStatus;
  /** Attempts since the delivery was created or last replayed, counting the one in progress. */
  attempts: number;
  /** Every attempt ever made, replays included. */
  totalAttempts: number;
  /** Time from which a dispatcher may claim the delivery if it is `pending` or `failed`. */
  nextAttemptAt: number;
  lockedBy: string | null;
  lockedUntil: number | null;
  /** HTTP status of the last response, or null when the last attempt got none. */
  lastStatusCode: number | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  lastAttemptAt: number | null;
  succeededAt: number | null;
  createdAt: number;
}

/** One attempt of the log of a delivery. */
export interface EventDeliveryAttempt {
  /** 1 for the first attempt, counting on across replays. */
  number: number;
  attemptedAt: number;
  durationMs: number;
  /** HTTP status of the response, or null when none arrived (timeout, refused connection). */
  statusCode: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** Start of the response body, to show why a subscriber rejected the delivery. */
  responseExcerpt: string | null;
}

/** A delivery to create when a Lumio event matches a subscription. */
export interface NewEventDelivery {
  subscriptionId: string;
  eventId: string;
  eventType: string;
}

/** A claimed delivery with the event it sends. */
export interface ClaimedEventDelivery extends StoredEventDelivery {
  event: LumioEvent;
}

export interface ClaimEventDeliveriesOptions {
  /** Id of the claiming dispatcher, unique per process. Recording the outcome needs the same id. */
  dispatcherId: string;
  /** 1 to 1000. */
  limit: number;
  /** Duration of the claim in milliseconds. It must cover the request timeout, or another process may send the same attempt again. */
  lockMs: number;
  now: number;
}

/** Outcome of one attempt, as the attempt log stores it. */
export type AttemptOutcome = Omit<EventDeliveryAttempt, 'number'>;

export interface FailedAttemptOutcome extends AttemptOutcome {
  /** Stable error code, e.g. `SUBSCRIBER_REJECTED`. */
  errorCode: string;
  /** Time of the next attempt, or null to mark the delivery `dead`. */
  nextAttemptAt: number | null;
}

export interface ListEventDeliveriesOptions {
  workspaceId: string;
  subscriptionId: string;
  status?: EventDeliveryStatus;
  /** 1 to 1000. */
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
}

export interface EventDeliveryPage {
  /** Newest first. */
  deliveries: StoredEventDelivery[];
  /** Cursor of the next (older) page, or null on the last page. */
  nextCursor: string | null;
}

/** Deliveries to replay: these ids, or every delivery of the subscription with this status. */
export type DeliveryReplaySelection = string[] | { status: 'dead' | 'failed' };

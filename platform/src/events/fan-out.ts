import type { LumioEvent, NewEventDelivery, Store, StoredEventSubscription } from '../store/index.js';
import { matchesEventPatterns } from './event-types.js';

export interface FanOutOptions {
  /** Events read per page. */
  pageSize: number;
  /** Pages read per call at most, so one busy workspace cannot hold up the others. */
  maxPages: number;
  /** Events younger than this many milliseconds wait for the next round (see `settledPrefix`). */
  settleMs: number;
  now: number;
}

/**
 * Returns the leading events created at or before `horizon`. Ids are time-ordered but
 * made before their transaction commits, so an event can become visible after a newer
 * one. Waiting until events are `settleMs` old before moving the cursor past them lets
 * such late commits arrive first. The prefix stops at the first young event, so the
 * cursor never passes an event that was not fanned out.
 *
 * NOTE: an event whose transaction commits more than `settleMs` after its id was made
 * sorts behind the cursor once a newer event was fanned out, and is never delivered.
 */
export function settledPrefix(events: LumioEvent[], horizon: number): LumioEvent[] {
  const firstYoung = events.findIndex((event) => event.createdAt > horizon);
  return firstYoung === -1 ? events : events.slice(0, firstYoung);
}

/** Pairs each event with the subscriptions that match its type and existed when it happened. */
export function matchDeliveries(events: LumioEvent[], subscriptions: StoredEventSubscription[]): NewEventDelivery[] {
  const deliveries: NewEventDelivery[] = [];
  for (const event of events) {
    for (const subscription of subscriptions) {
      if (subscription.createdAt <= event.createdAt && matchesEventPatterns(subscription.events, event.type)) {
        deliveries.push({ subscriptionId: subscription.id, eventId: event.id, eventType: event.type });
      }
    }
  }
  return deliveries;
}

/**
 * Reads a workspace's events after its cursor and creates a delivery for each matching
 * subscription, then moves the cursor past them. Several processes may run this for the
 * same workspace at once, because the deliveries are unique per subscription and event
 * and the cursor only moves forward. Returns the number of events read.
 */
export async function fanOutWorkspace(store: Store, workspaceId: string, subscriptions: StoredEventSubscription[], options: FanOutOptions): Promise<number> {
  const horizon = options.now - options.settleMs;
  let read = 0;

  for (let page = 0; page < options.maxPages; page += 1) {
    const events = await store.eventDeliveries.pendingEvents(workspaceId, options.pageSize);
    const settled = settledPrefix(events, horizon);
    const last = settled.at(-1);
    if (!last) {
      break;
    }

    await store.eventDeliveries.fanOut(workspaceId, matchDeliveries(settled, subscriptions), last.id, options.now);
    read += settled.length;
    if (settled.length < options.pageSize) {
      break;
    }
  }
  return read;
}

import type { Logger } from '../../observability/index.js';
import type { StoredWebhookEvent } from '../../store/index.js';
import { isBatchWriteFailure, processConnectionEvents, type ProcessingDependencies } from './connection-batch.js';
import type { EventSettlement } from './event-outcome.js';

/**
 * Processes a claimed batch: each connection's events together and in their order, and
 * different connections at the same time. Returns how each event ended, by event id.
 *
 * When writing a connection's records fails, its events are processed again one at a
 * time, so one event whose record cannot be written fails alone instead of taking its
 * batch with it on every retry.
 */
export async function processBatch(events: StoredWebhookEvent[], deps: ProcessingDependencies, logger: Logger): Promise<Map<string, EventSettlement>> {
  const byConnection = new Map<string, StoredWebhookEvent[]>();
  for (const event of events) {
    const queue = byConnection.get(event.connectionId);
    if (queue) queue.push(event);
    else byConnection.set(event.connectionId, [event]);
  }

  const settled = await Promise.all([...byConnection].map(([connectionId, queue]) => processConnection(connectionId, queue, deps, logger)));
  return new Map(settled.flatMap((settlements) => [...settlements]));
}

async function processConnection(connectionId: string, events: StoredWebhookEvent[], deps: ProcessingDependencies, logger: Logger): Promise<Map<string, EventSettlement>> {
  try {
    return await processConnectionEvents(connectionId, events, deps);
  } catch (error) {
    if (!isBatchWriteFailure(error) || events.length === 1) return settleAll(events, error);
    logger.warn({ err: error, connectionId, events: events.length }, 'writing a batch of webhook records failed; its events are processed again one at a time');
  }

  const settlements = new Map<string, EventSettlement>();
  for (const event of events) {
    const single = await processConnectionEvents(connectionId, [event], deps).catch((error: unknown) => settleAll([event], error));
    for (const [eventId, settlement] of single) settlements.set(eventId, settlement);
  }
  return settlements;
}

function settleAll(events: StoredWebhookEvent[], error: unknown): Map<string, EventSettlement> {
  return new Map(events.map((event) => [event.id, { error }]));
}

import type { RecordChange } from './batch-records.js';

/** Outcome of processing one event, stored with it and turned into Lumio events. */
export interface EventOutcome {
  status: 'processed' | 'ignored';
  result: Record<string, unknown>;
  lumioEvents: Array<{ type: string; payload: Record<string, unknown> }>;
}

/** Result of one event of a batch: an outcome to complete it with, or the error it failed with. */
export type EventSettlement = { outcome: EventOutcome } | { error: unknown };

/** Returns the Lumio event that a change of a record emits: none when nothing changed. */
export function recordEvents(change: RecordChange | null, object: string, externalId: string): EventOutcome['lumioEvents'] {
  const payload = { object, externalId };
  if (change === 'deleted') return [{ type: 'record.deleted', payload }];
  if (change === 'created') return [{ type: 'record.created', payload }];
  if (change === 'updated') return [{ type: 'record.updated', payload }];
  return [];
}

import { bodyInvalid } from './body-invalid.js';
import { isRecord, ownValue } from './is-record.js';

/** A Pipedrive event's type and the id of the record it is about. */
export interface PipedriveEventDescription {
  /** `<object>.<action>` in webhooks v2 words, e.g. "person.change" or "deal.create". */
  type: string;
  /** Id of the changed record, as text. */
  id: string;
}

/** Webhooks v1 action names and their v2 equivalents. v2 reports a merge as a change of the surviving record. */
const V1_ACTIONS: Readonly<Record<string, string>> = {
  added: 'create',
  updated: 'change',
  merged: 'change',
  deleted: 'delete',
};

/**
 * Names a Pipedrive webhook event in one style for both payload versions, routed by
 * `meta.version`. Version "2.0" carries `meta.entity`, `meta.action` (create, change,
 * delete) and `meta.entity_id`. Version 1 carries `meta.object`, `meta.action` (added,
 * updated, merged, deleted) and the record id in `meta.id`, with the same pair in its
 * `event` field ("updated.person"). Both become `person.change` style types.
 * Throws WEBHOOK_BODY_INVALID when the event carries no type or no record id.
 */
export function describePipedriveEvent(event: unknown): PipedriveEventDescription {
  const meta = isRecord(event) ? ownValue(event, 'meta') : undefined;
  if (!isRecord(event) || !isRecord(meta)) {
    throw bodyInvalid('The Pipedrive event has no meta object, so it is not a webhooks v1 or v2 payload.');
  }

  const described = ownValue(meta, 'version') === '2.0' ? describeVersion2(event, meta) : describeVersion1(event, meta);
  if (described.object === undefined || described.action === undefined || described.id === undefined) {
    throw bodyInvalid('The Pipedrive event does not name its object, action and record id in meta.');
  }
  return { type: `${described.object}.${described.action}`, id: described.id };
}

interface DescribedParts {
  object: string | undefined;
  action: string | undefined;
  id: string | undefined;
}

function describeVersion2(event: Record<string, unknown>, meta: Record<string, unknown>): DescribedParts {
  return {
    object: textOf(ownValue(meta, 'entity')),
    action: textOf(ownValue(meta, 'action')),
    id: textOf(ownValue(meta, 'entity_id')) ?? recordId(event, ['data', 'previous']),
  };
}

function describeVersion1(event: Record<string, unknown>, meta: Record<string, unknown>): DescribedParts {
  const [eventAction, eventObject] = (textOf(ownValue(event, 'event')) ?? '').split('.');
  const action = textOf(ownValue(meta, 'action')) ?? (eventAction || undefined);
  return {
    object: textOf(ownValue(meta, 'object')) ?? (eventObject || undefined),
    action: action === undefined ? undefined : (V1_ACTIONS[action] ?? action),
    id: textOf(ownValue(meta, 'id')) ?? recordId(event, ['current', 'previous']),
  };
}

function recordId(event: Record<string, unknown>, states: string[]): string | undefined {
  for (const state of states) {
    const record = ownValue(event, state);
    const id = isRecord(record) ? textOf(ownValue(record, 'id')) : undefined;
    if (id !== undefined) return id;
  }
  return undefined;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

import { readSegments, splitDotPath } from '../../templates/index.js';
import { bodyInvalid, quoteName } from './body-invalid.js';

/**
 * Splits a parsed body into its events by the manifest's `events.path`: undefined means the
 * body is one event, "" means the body itself is the array, and any other dot path names
 * the array inside the body. A missing or non-array value throws WEBHOOK_BODY_INVALID.
 */
export function splitEvents(body: unknown, path: string | undefined): unknown[] {
  if (path === undefined) return [body];

  const events = readSegments(body, splitDotPath(path));
  if (!Array.isArray(events)) {
    const where = path === '' ? 'The webhook body' : `The value at ${quoteName(path)} in the webhook body`;
    throw bodyInvalid(`${where} is not an array of events, as the connector's events.path expects.`);
  }
  return events;
}

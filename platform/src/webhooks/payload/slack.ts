import { bodyInvalid } from './body-invalid.js';
import { isRecord, ownValue } from './is-record.js';
import { parseJsonText } from './parse-json.js';

/**
 * Unwraps a parsed Slack form body. Interactivity requests (buttons, modals, shortcuts)
 * post their event as JSON in the `payload` form field, and that JSON becomes the event.
 * Any other form body, such as a slash command, is returned unchanged as a flat object.
 */
export function normalizeSlackBody(body: unknown): unknown {
  if (!isRecord(body)) return body;

  const payload = ownValue(body, 'payload');
  if (typeof payload !== 'string') return body;

  const event = parseJsonText(payload, 'The Slack payload form field');
  if (!isRecord(event)) throw bodyInvalid('The Slack payload form field is JSON but not an object.');
  return event;
}

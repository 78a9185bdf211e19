import { normalizeSlackBody, parseBody, readSalesforceNotifications, type ParsedBody } from '../payload/index.js';
import type { WebhookContentType } from '../schemes/scheme-types.js';

/**
 * Turns a parsed body into the shape the manifest's paths address. Slack's interactivity
 * posts its event as JSON inside a form field, and a Salesforce outbound message is a SOAP
 * envelope whose notifications become a plain list.
 */
export function normalizeBody(scheme: string, contentType: WebhookContentType, parsed: unknown): unknown {
  if (scheme === 'slack' && contentType === 'form') return normalizeSlackBody(parsed);
  if (scheme === 'salesforce-outbound') return readSalesforceNotifications(parsed);
  return parsed;
}

/**
 * Parses a verified body and normalises it. The JSON text is kept only when normalising
 * left the parsed document as it was, so that an event that is the whole body can be
 * stored from this text instead of being serialised again.
 */
export function parseNormalizedBody(scheme: string, contentType: WebhookContentType, raw: Uint8Array): ParsedBody {
  const parsed = parseBody(contentType, raw);
  const value = normalizeBody(scheme, contentType, parsed.value);
  return { value, jsonText: value === parsed.value ? parsed.jsonText : undefined };
}

import { normalizeSlackBody, readSalesforceNotifications } from '../payload/index.js';
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

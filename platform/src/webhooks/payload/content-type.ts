import type { WebhookContentType } from '../schemes/index.js';

const STRUCTURED_JSON = /^application\/[a-z0-9!#$&^_.+-]+\+json$/;
const XML_TYPES = new Set(['text/xml', 'application/xml', 'application/soap+xml']);

/**
 * Maps a Content-Type header to the body encoding it names, ignoring parameters such as
 * charset. Returns null for a missing header or a media type the router does not parse.
 */
export function detectContentType(header: string | undefined): WebhookContentType | null {
  if (header === undefined) return null;

  const mediaType = (header.split(';', 1)[0] ?? '').trim().toLowerCase();
  if (mediaType === 'application/json' || STRUCTURED_JSON.test(mediaType)) return 'json';
  if (mediaType === 'application/x-www-form-urlencoded') return 'form';
  if (XML_TYPES.has(mediaType)) return 'xml';
  return null;
}

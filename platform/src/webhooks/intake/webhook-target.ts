/** A provider delivery's request target, matched without the web framework's router. */
export interface WebhookTarget {
  connectorId: string;
  /** Absent on the connector-wide URL `/webhooks/{connector}`. */
  token: string | undefined;
}

const PREFIX = '/webhooks/';

/**
 * Path segments taken as they are: RFC 3986 unreserved characters only. A segment with
 * anything else, such as `%`, `\` or a dot segment, would be decoded or rewritten by the
 * WHATWG URL parser and the router, so it is left to them.
 */
const PLAIN_SEGMENT = /^[A-Za-z0-9._~-]+$/;

/**
 * Matches `POST /webhooks/{connector}/{token}`, `POST /webhooks/{connector}` and
 * `GET /webhooks/{connector}/{token}` when the path needs no decoding or normalization.
 * Returns null for every other request, which then goes through the API's router, so
 * unusual paths and methods get exactly the router's responses.
 */
export function matchWebhookTarget(method: string | undefined, target: string | undefined): WebhookTarget | null {
  if (method !== 'POST' && method !== 'GET') return null;
  if (target === undefined || !target.startsWith(PREFIX)) return null;

  const queryStart = target.indexOf('?');
  const path = queryStart < 0 ? target : target.slice(0, queryStart);
  const segments = path.slice(PREFIX.length).split('/');
  if (segments.length > 2 || (method === 'GET' && segments.length !== 2)) return null;
  if (!segments.every(isPlainSegment)) return null;

  return { connectorId: segments[0] as string, token: segments[1] };
}

function isPlainSegment(segment: string): boolean {
  return segment !== '.' && segment !== '..' && PLAIN_SEGMENT.test(segment);
}

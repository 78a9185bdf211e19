import type { ApiReply } from './api-client.js';

/** What the caller sent, which a response may repeat without revealing anything. */
export interface SentRequest {
  path: string;
  body?: unknown;
}

/**
 * Removes from audit entries the fields that repeat the caller's own request: the path, its
 * parameters and the resource taken from them. A caller that named another workspace's id
 * finds it again in its own audit entry, which reveals nothing new.
 */
function withoutAuditEchoes(body: any): any {
  if (!body || !Array.isArray(body.entries)) return body;
  return {
    ...body,
    entries: body.entries.map((entry: any) => ({ ...entry, resource: null, metadata: { ...entry.metadata, path: null, params: null } })),
  };
}

/** Joins every header and the body into one text to search, with audit echoes removed. */
function searchableText(reply: ApiReply, isAuditLog: boolean): string {
  const headers = [...reply.headers.entries()].map(([name, value]) => `${name}: ${value}`).join('\n');
  const body = isAuditLog && reply.body && typeof reply.body === 'object' ? JSON.stringify(withoutAuditEchoes(reply.body)) : reply.text;
  return `${headers}\n${body}`;
}

/**
 * Returns the markers of another workspace that the response contains, leaving out those the
 * request itself carried (a 404 may repeat the id it was asked for).
 */
export function findLeaks(reply: ApiReply, request: SentRequest, markers: readonly string[]): string[] {
  const sent = `${request.path}\n${request.body === undefined ? '' : JSON.stringify(request.body)}`;
  const text = searchableText(reply, request.path.startsWith('/v1/audit-log'));
  return markers.filter((marker) => marker !== '' && !sent.includes(marker) && text.includes(marker));
}

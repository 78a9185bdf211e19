import { randomUUID } from 'node:crypto';

import type { ConnectorManifest, WebhookDefinition } from '@lumio/plugin-sdk';

import { LumioError } from '../../errors/index.js';
import type { Connection } from '../../store/index.js';
import { lookupValueOf } from '../intake/connection-resolver.js';

/** Record id of generated test events; processing stops at routing for it, so no record is written. */
export const TEST_RECORD_ID = 'lumio-webhook-test';

export interface SampleDelivery {
  contentType: string;
  body: Buffer;
  /** Headers the manifest reads event fields from, such as an event id header. */
  headers: Record<string, string>;
  eventId: string;
}

/**
 * Builds a delivery shaped as the manifest describes: the event type of the first route
 * that is not a deletion,
 * a fresh event id, the time, the test record id, and the connection's lookup value, each
 * at the path the manifest reads it from. A caller's own payload is sent as it is.
 */
export function buildSampleDelivery(manifest: ConnectorManifest, connection: Connection, request: { eventType?: string; payload?: unknown }): SampleDelivery {
  const definition = manifest.webhooks as WebhookDefinition;
  const eventId = `test-${randomUUID()}`;
  const headers: Record<string, string> = {};

  let body: unknown = request.payload;
  if (body === undefined) {
    const event: Record<string, unknown> = {};
    // A change event shows more of the path than a deletion, so it is preferred.
    const route = definition.routes?.find((candidate) => candidate.action !== 'delete') ?? definition.routes?.[0];
    const eventType = request.eventType ?? route?.eventType.replace(/\*$/, 'test') ?? 'lumio.test';
    place(event, headers, definition.eventType, eventType);
    place(event, headers, definition.eventId, eventId);
    place(event, headers, definition.occurredAt, String(Date.now()));
    if (route) setPath(event, route.idPath, TEST_RECORD_ID);
    if (definition.connectionLookup) place(event, headers, definition.connectionLookup.from, lookupValueOf(connection, definition.connectionLookup.configField) ?? '');
    body = wrapEvents(event, definition.events?.path);
  }

  return { ...encode(definition.contentType, body), headers, eventId };
}

function place(event: Record<string, unknown>, headers: Record<string, string>, location: WebhookDefinition['eventId'], value: string): void {
  if (!location) return;
  if (location.in === 'header') headers[location.path.toLowerCase()] = value;
  else if (location.in === 'body') setPath(event, location.path, /^\d+$/.test(value) && location.path !== 'id' ? Number(value) : value);
}

function wrapEvents(event: unknown, path: string | undefined): unknown {
  if (path === undefined) return event;
  if (path === '') return [event];
  const wrapper: Record<string, unknown> = {};
  setPath(wrapper, path, [event]);
  return wrapper;
}

function setPath(target: Record<string, unknown>, dotPath: string, value: unknown): void {
  const segments = dotPath.split('.');
  let node = target;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    node = (typeof next === 'object' && next !== null ? next : (node[segment] = {})) as Record<string, unknown>;
  }
  node[segments.at(-1) ?? dotPath] = value;
}

function encode(contentType: WebhookDefinition['contentType'], body: unknown): { contentType: string; body: Buffer } {
  if (contentType === 'json') return { contentType: 'application/json', body: Buffer.from(JSON.stringify(body), 'utf8') };
  if (contentType === 'form') {
    const form = new URLSearchParams();
    flatten(body, '', form);
    return { contentType: 'application/x-www-form-urlencoded', body: Buffer.from(form.toString(), 'utf8') };
  }
  throw new LumioError('WEBHOOK_TEST_UNSUPPORTED', 'Test deliveries are built for JSON and form bodies only; send an XML sample to the webhook URL yourself.', { status: 422, fault: 'caller' });
}

/** Writes nested objects as bracketed form keys (`data[merges][EMAIL]`), the form providers use. */
function flatten(value: unknown, prefix: string, form: URLSearchParams): void {
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) flatten(item, prefix ? `${prefix}[${key}]` : key, form);
    return;
  }
  form.append(prefix || 'value', value === null || value === undefined ? '' : String(value));
}

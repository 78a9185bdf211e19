import { expect } from 'vitest';

import type { TestPlatform } from '../../e2e/platform-harness.js';

/** A delivery as a provider sends it: the URL (a URL-signed scheme may have changed it), headers and raw body. */
export interface Delivery {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface DeliveryReply {
  status: number;
  contentType: string;
  text: string;
  /** The parsed body when the reply is JSON, else null. */
  body: any;
  headers: Headers;
}

/** Sends a delivery over HTTP and reads the whole reply. */
export async function send(delivery: Delivery): Promise<DeliveryReply> {
  const response = await fetch(delivery.url, { method: 'POST', headers: delivery.headers, body: delivery.body });
  return readReply(response);
}

/** Sends a GET to a webhook URL, as subscription handshakes do. */
export async function sendGet(url: string): Promise<DeliveryReply> {
  return readReply(await fetch(url));
}

async function readReply(response: Response): Promise<DeliveryReply> {
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  const body = contentType.includes('json') && text !== '' ? JSON.parse(text) : null;
  return { status: response.status, contentType, text, body, headers: response.headers };
}

/** Checks that a delivery was rejected as unverified: 401 with the stable code, and the reason when given. */
export function expectUnverified(reply: DeliveryReply, reason?: string): void {
  expect(reply.status, reply.text).toBe(401);
  expect(reply.contentType).toContain('application/problem+json');
  expect(reply.body.code).toBe('WEBHOOK_SIGNATURE_INVALID');
  if (reason !== undefined) expect(reply.body.reason).toBe(reason);
}

/** Calls `read` until `done` accepts its value or the time runs out, and returns the last value. */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

export interface ConnectOptions {
  /** Connection name; "default" is the one `/v1/integrations/{connector}` resolves to. */
  name?: string;
  secrets?: string[];
  allowedIps?: string[];
  /** Handshake verify token, such as Meta's `hub.verify_token`. */
  verifyToken?: string;
  config?: Record<string, unknown>;
}

export interface ConnectedEndpoint {
  connectionId: string;
  webhookUrl: string;
}

/** Connects a fixture connector without a provider call and returns its webhook URL. */
export async function connect(test: TestPlatform, connectorId: string, options: ConnectOptions = {}): Promise<ConnectedEndpoint> {
  const reply = await test.call('POST', `/v1/integrations/${connectorId}/connect`, {
    credentials: { accessToken: 'fixture-token' },
    test: false,
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.config === undefined ? {} : { config: options.config }),
    ...(options.secrets === undefined ? {} : { webhookSecrets: options.secrets }),
    ...(options.allowedIps === undefined ? {} : { webhookAllowedIps: options.allowedIps }),
    ...(options.verifyToken === undefined ? {} : { webhookVerifyToken: options.verifyToken }),
  });
  if (reply.status !== 200) throw new Error(`Connecting ${connectorId} returned ${reply.status}: ${JSON.stringify(reply.body)}`);
  return { connectionId: reply.body.connectionId, webhookUrl: reply.body.webhookUrl };
}

/** Lists a connection's stored webhook events, newest first, optionally of one status. */
export async function listEvents(test: TestPlatform, integration: string, status?: string): Promise<any[]> {
  const query = new URLSearchParams({ limit: '500', ...(status === undefined ? {} : { status }) });
  const reply = await test.call('GET', `/v1/integrations/${integration}/webhooks/logs?${query}`);
  if (reply.status !== 200) throw new Error(`The webhook log returned ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body.events;
}

/** Counts a connection's stored events of every status. */
export async function countEvents(test: TestPlatform, integration: string): Promise<number> {
  const reply = await test.call('GET', `/v1/integrations/${integration}/webhooks/logs?limit=1`);
  return Object.values(reply.body.counts as Record<string, number>).reduce((sum, count) => sum + count, 0);
}

/** Reads one stored event through the API. */
export async function readEvent(test: TestPlatform, integration: string, eventId: string): Promise<any> {
  const reply = await test.call('GET', `/v1/integrations/${integration}/webhooks/events/${eventId}`);
  if (reply.status !== 200) throw new Error(`Reading event ${eventId} returned ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** Statuses after which the worker leaves an event alone until it is replayed. */
const SETTLED = ['processed', 'ignored', 'dead'];

/** Waits until the worker has settled an event, and returns it. */
export async function waitForSettled(test: TestPlatform, integration: string, eventId: string, timeoutMs = 10_000): Promise<any> {
  return waitFor(() => readEvent(test, integration, eventId), (event) => SETTLED.includes(event.status), timeoutMs);
}

/** Finds a canonical record of the connector's default connection by its provider id. */
export async function findRecord(test: TestPlatform, integration: string, canonicalObject: string, externalId: string): Promise<any> {
  const query = new URLSearchParams({ integration, object: canonicalObject, includeDeleted: 'true', limit: '1000' });
  const reply = await test.call('GET', `/v1/records?${query}`);
  if (reply.status !== 200) throw new Error(`GET /v1/records returned ${reply.status}: ${JSON.stringify(reply.body)}`);
  return (reply.body.records as any[]).find((record) => record.externalId === externalId);
}

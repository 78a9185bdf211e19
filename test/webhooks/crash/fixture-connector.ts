import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

// A connector written for webhook load tests. Its provider pushes one order per delivery
// the way Shopify does: the body is the order, signed as base64 HMAC-SHA256 of the raw
// body, with the event id and topic in headers. The manifest's `upsert` route stores the
// order as a canonical `order` record. The route makes no provider request, so the base
// URL is a closed loopback port.

export const FIXTURE_CONNECTOR_ID = 'webhook-orders';
export const SIGNATURE_HEADER = 'x-shopify-hmac-sha256';
export const EVENT_ID_HEADER = 'x-shopify-event-id';
export const TOPIC_HEADER = 'x-shopify-topic';
export const TOPIC = 'orders/updated';

const MANIFEST = {
  manifestVersion: 1,
  id: FIXTURE_CONNECTOR_ID,
  name: 'Webhook Orders',
  version: '1.0.0',
  category: 'ecommerce',
  description: 'Test store that pushes signed order webhooks; used by the webhook crash test and benchmark.',
  connection: {
    configSchema: { type: 'object', properties: {} },
    baseUrl: 'http://127.0.0.1:9',
  },
  auth: [{ type: 'apiKey', in: 'header', name: 'X-Api-Key' }],
  objects: {
    orders: {
      label: 'Orders',
      description: 'Orders of the test store.',
      primaryKey: 'id',
      recordSchema: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          number: { type: 'string' },
          status: { type: 'string' },
          currency: { type: 'string' },
          total: { type: 'number' },
          email: { type: 'string' },
          note: { type: 'string' },
        },
      },
      // The webhook route never calls it, but the manifest format requires an operation per object.
      operations: { get: { method: 'GET', path: '/orders/{{ id }}' } },
    },
  },
  webhooks: {
    signature: { scheme: 'shopify' },
    contentType: 'json',
    eventId: { in: 'header', path: EVENT_ID_HEADER },
    eventType: { in: 'header', path: TOPIC_HEADER },
    routes: [{ eventType: 'orders/*', object: 'orders', action: 'upsert', idPath: 'id' }],
  },
  mappings: [
    {
      object: 'orders',
      canonicalObject: 'order',
      fields: [
        { target: 'orderNumber', source: 'number' },
        { target: 'status', source: 'status' },
        { target: 'currency', source: 'currency' },
        { target: 'total', source: 'total' },
        { target: 'customerEmail', source: 'email' },
        { target: 'notes', source: 'note' },
      ],
    },
  ],
};

/** Writes the fixture connector's manifest under `connectorsDir`, the folder LUMIO_CONNECTORS_DIR names. */
export async function writeFixtureConnector(connectorsDir: string): Promise<void> {
  const folder = path.join(connectorsDir, FIXTURE_CONNECTOR_ID);
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'manifest.json'), JSON.stringify(MANIFEST, null, 2));
}

/** The order a delivery carries; its `id` is the record's external id. */
export interface FixtureOrder {
  id: string;
  number: string;
  status: 'processing';
  currency: 'BRL';
  total: number;
  email: string;
  note: string;
}

/** One delivery: the provider's event id and the order it carries. */
export interface FixtureDelivery {
  eventId: string;
  order: FixtureOrder;
}

/**
 * Builds delivery number `sequence` of a run. `noteBytes` pads the order's note, so a
 * benchmark can send bodies of a fixed size.
 */
export function buildFixtureDelivery(runId: string, sequence: number, noteBytes = 32): FixtureDelivery {
  return {
    eventId: `evt-${runId}-${sequence}`,
    order: {
      id: `ord-${runId}-${sequence}`,
      number: `#${sequence}`,
      status: 'processing',
      currency: 'BRL',
      total: Math.round(sequence * 137) / 100,
      email: `buyer${sequence}@example.com`,
      note: 'n'.repeat(noteBytes),
    },
  };
}

/** Request headers of a delivery: content type, event id, topic and the signature computed by `signBody`. */
export function deliveryHeaders(secret: string, eventId: string, body: string | Buffer): Record<string, string> {
  return { 'content-type': 'application/json', [EVENT_ID_HEADER]: eventId, [TOPIC_HEADER]: TOPIC, [SIGNATURE_HEADER]: signBody(secret, body) };
}

/** Returns the canonical record data that the fixture's mapping makes of an order. */
export function expectedOrderData(order: FixtureOrder): Record<string, unknown> {
  return { orderNumber: order.number, status: order.status, currency: order.currency, total: order.total, customerEmail: order.email, notes: order.note };
}

/** Base64 HMAC-SHA256 of the raw body, computed here with node:crypto rather than by the platform. */
export function signBody(secret: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/** Creates a random id that keeps one run's event and order ids apart from another's. */
export function createRunId(): string {
  return randomBytes(4).toString('hex');
}

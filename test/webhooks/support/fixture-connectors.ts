import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { validateManifest, type CanonicalObjectName, type ConnectorManifest, type FieldRule, type RetryPolicy, type WebhookDefinition } from '@lumio/plugin-sdk';

/** One provider object of a fixture connector, and its default mapping when `mapping` is given. */
export interface FixtureObject {
  key: string;
  /** Path of the `get` operation, such as `/orders/{{ id }}.json`. Default `/{key}/{{ id }}`. */
  getPath?: string;
  /** Where the record sits in the `get` response. Default: the whole body. */
  recordSelector?: string;
  /** Canonical object and field rules; an object without them has no mapping. */
  mapping?: { canonicalObject: CanonicalObjectName; fields: FieldRule[] };
}

export interface FixtureConnectorOptions {
  id: string;
  webhooks: WebhookDefinition;
  objects: FixtureObject[];
  retry?: RetryPolicy;
}

/**
 * Builds a small connector manifest around a webhook definition: bearer auth, no connection
 * test (so connecting never calls a provider), and a base URL on a reserved `.invalid` host
 * that tests override with `config.baseUrl` when a route fetches records.
 */
export function fixtureManifest(options: FixtureConnectorOptions): ConnectorManifest {
  const objects: ConnectorManifest['objects'] = {};
  for (const object of options.objects) {
    objects[object.key] = {
      label: object.key,
      description: `Fixture ${object.key} records for webhook tests.`,
      recordSchema: { type: 'object', properties: { id: { type: ['string', 'integer'] } } },
      primaryKey: 'id',
      operations: {
        get: {
          method: 'GET',
          path: object.getPath ?? `/${object.key}/{{ id }}`,
          ...(object.recordSelector === undefined ? {} : { recordSelector: { path: object.recordSelector } }),
        },
      },
    };
  }

  const mappings = options.objects.flatMap((object) => (object.mapping ? [{ object: object.key, canonicalObject: object.mapping.canonicalObject, fields: object.mapping.fields }] : []));
  return {
    manifestVersion: 1,
    id: options.id,
    name: `Fixture ${options.id}`,
    version: '1.0.0',
    category: 'other',
    description: `Fixture connector for the ${options.webhooks.signature.scheme} webhook scheme.`,
    connection: { configSchema: { type: 'object', properties: {} }, baseUrl: 'https://provider.invalid' },
    auth: [{ type: 'bearer', credentialField: 'accessToken' }],
    ...(options.retry ? { retry: options.retry } : {}),
    objects,
    webhooks: options.webhooks,
    mappings,
  };
}

/** A temporary connectors folder, one `<id>/manifest.json` per connector. */
export interface ConnectorsFolder {
  dir: string;
  remove(): Promise<void>;
}

/**
 * Writes the manifests into a new temporary folder after validating each one, so a fixture
 * mistake fails here with its issues instead of as a connector the platform silently skips.
 */
export async function writeConnectorsFolder(manifests: readonly ConnectorManifest[]): Promise<ConnectorsFolder> {
  for (const manifest of manifests) {
    const result = validateManifest(manifest);
    if (!result.valid) {
      throw new Error(`Fixture manifest ${manifest.id} is invalid: ${JSON.stringify(result.errors, null, 2)}`);
    }
  }

  const dir = await mkdtemp(join(tmpdir(), 'lumio-webhook-connectors-'));
  for (const manifest of manifests) {
    await mkdir(join(dir, manifest.id));
    await writeFile(join(dir, manifest.id, 'manifest.json'), JSON.stringify(manifest, null, 2));
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Field rules that turn a provider message into a canonical `message` with `body` read from `textPath`. */
export function messageFields(textPath: string, extra: FieldRule[] = []): FieldRule[] {
  return [
    { target: 'channel', constant: 'other' },
    { target: 'direction', constant: 'inbound' },
    { target: 'status', constant: 'delivered' },
    { target: 'body', source: textPath },
    ...extra,
  ];
}

/**
 * Returns a shop connector whose order events are fetched from the order simulator. Refunds
 * have no mapping, so their events cannot be stored. The connector retries nothing itself, so
 * each worker attempt is one request and the simulator's 503 count decides how many fail.
 */
export function shopOrdersManifest(id: string): ConnectorManifest {
  return fixtureManifest({
    id,
    webhooks: {
      signature: { scheme: 'shopify' },
      contentType: 'json',
      eventId: { in: 'header', path: 'X-Shopify-Webhook-Id' },
      eventType: { in: 'header', path: 'X-Shopify-Topic' },
      routes: [
        { eventType: 'orders/delete', object: 'orders', action: 'delete', idPath: 'id' },
        { eventType: 'orders/create', object: 'orders', action: 'upsert', idPath: 'id' },
        { eventType: 'orders/updated', object: 'orders', action: 'fetch', idPath: 'id' },
        { eventType: 'refunds/create', object: 'refunds', action: 'upsert', idPath: 'order_id' },
      ],
    },
    objects: [
      {
        key: 'orders',
        getPath: '/orders/{{ id }}.json',
        recordSelector: 'order',
        mapping: {
          canonicalObject: 'order',
          fields: [
            { target: 'orderNumber', source: 'name' },
            { target: 'status', constant: 'processing' },
            { target: 'currency', source: 'currency' },
            { target: 'total', source: 'total_price', transforms: [{ type: 'convert', to: 'number' }] },
          ],
        },
      },
      { key: 'refunds' },
    ],
    retry: { maxAttempts: 0 },
  });
}

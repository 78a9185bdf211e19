import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { FieldRule } from '../../generated/field-mapping.js';
import type { ConnectorManifest, RecordField } from '../../generated/manifest.js';

// A products API on 127.0.0.1 and a connector that reads it, for tests of `run`. Unless a
// test requests one, the connector declares no plugin, so the platform's runtime reads the
// records as served.

/** Id of the test connector, which is also the name of its folder. */
export const PRODUCTS_CONNECTOR_ID = 'products-test';

/** API key the test server accepts in the X-Api-Key header. */
export const PRODUCTS_API_KEY = 'products-test-key-0123456789';

/** Records per page of the test server. */
const PAGE_SIZE = 2;

export interface ProductsApi {
  url: string;
  /** Request paths with their query, in arrival order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 whose GET /v1/products pages through `records`, PAGE_SIZE
 * per page, as `{ "data": [...], "next_cursor": "<offset>" | null }`. Other paths and a
 * wrong API key get a JSON error.
 */
export async function startProductsApi(records: readonly object[]): Promise<ProductsApi> {
  const requests: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);

    if (request.headers['x-api-key'] !== PRODUCTS_API_KEY) return sendJson(response, 401, { error: 'invalid API key' });
    if (request.method !== 'GET' || url.pathname !== '/v1/products') return sendJson(response, 404, { error: 'not found' });

    const offset = Number(url.searchParams.get('cursor') ?? '0');
    const end = offset + PAGE_SIZE;
    return sendJson(response, 200, { data: records.slice(offset, end), next_cursor: end < records.length ? String(end) : null });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Changes to the test connector's manifest. */
export interface ProductsConnectorOptions {
  /** Whether the object declares `deletions: { strategy: "flag", flagPath: "archived" }`, so records with `archived: true` read as deleted. */
  flagDeletions?: boolean;
  /** Rules of the default mapping, in place of those for title, price and updated_at. */
  mappingFields?: FieldRule[];
  /** recordSchema properties added to id, title, price and updated_at. */
  extraProperties?: Record<string, RecordField>;
  /** Whether the connector has plugin/index.ts, whose transformPage hook returns the records unchanged. */
  plugin?: boolean;
}

/**
 * Writes `<parent>/products-test/manifest.json` and a connection file for `apiUrl`, and
 * returns both paths. The manifest's recordSchema and incremental cursorField name
 * `updated_at`, and unless `options.mappingFields` replaces it, its default mapping
 * converts `price` to a number.
 */
export async function writeProductsConnector(parent: string, apiUrl: string, options: ProductsConnectorOptions = {}): Promise<{ directory: string; connectionFile: string }> {
  const directory = join(parent, PRODUCTS_CONNECTOR_ID);
  await mkdir(directory, { recursive: true });
  await writeFile(join(directory, 'manifest.json'), JSON.stringify(productsManifest(options), null, 2));
  if (options.plugin) {
    await mkdir(join(directory, 'plugin'), { recursive: true });
    await writeFile(join(directory, 'plugin', 'index.ts'), 'export default { transformPage: (records: unknown[]) => records };\n');
  }

  const connectionFile = join(parent, 'products-connection.json');
  await writeFile(connectionFile, JSON.stringify({ config: { baseUrl: apiUrl }, credentials: { apiKey: PRODUCTS_API_KEY } }));
  return { directory, connectionFile };
}

function productsManifest(options: ProductsConnectorOptions): ConnectorManifest {
  return {
    manifestVersion: 1,
    id: PRODUCTS_CONNECTOR_ID,
    name: 'Products Test',
    version: '0.1.0',
    category: 'other',
    description: 'Products of a test API on 127.0.0.1.',
    connection: { configSchema: { type: 'object', properties: {} }, baseUrl: 'https://products.example.com' },
    auth: [{ type: 'apiKey', in: 'header', name: 'X-Api-Key' }],
    objects: {
      products: {
        label: 'Products',
        description: 'Items for sale.',
        recordSchema: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            title: { type: 'string' },
            price: { type: ['string', 'null'] },
            updated_at: { type: 'string', format: 'date-time' },
            ...(options.flagDeletions ? { archived: { type: 'boolean' } } : {}),
            ...options.extraProperties,
          },
        },
        primaryKey: 'id',
        operations: {
          list: {
            method: 'GET',
            path: '/v1/products',
            recordSelector: { path: 'data' },
            pagination: { type: 'cursor', cursorPath: 'next_cursor', in: 'query', param: 'cursor', pageSize: PAGE_SIZE, pageSizeParam: 'limit' },
          },
        },
        incremental: { operation: 'list', cursorField: 'updated_at', cursorFormat: 'iso8601' },
        ...(options.flagDeletions ? { deletions: { strategy: 'flag', flagPath: 'archived' } } : {}),
      },
    },
    mappings: [
      {
        object: 'products',
        canonicalObject: 'product',
        fields: options.mappingFields ?? [
          { target: 'name', source: 'title' },
          { target: 'price', source: 'price', transforms: [{ type: 'convert', to: 'number' }] },
          { target: 'updatedAt', source: 'updated_at' },
        ],
      },
    ],
    ...(options.plugin ? { plugin: { entry: 'plugin/index.ts', capabilities: [] } } : {}),
  };
}

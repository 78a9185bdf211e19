import { Writable } from 'node:stream';
import { createHttpClient, type HttpClient } from '../../../platform/src/http/index.js';
import { createLogger, type Logger } from '../../../platform/src/observability/index.js';
import type { ConnectorContext } from '../../../platform/src/runtime/index.js';
import type { AuthMethod, ConnectorManifest, ObjectDefinition } from '../../../platform/src/runtime/manifest-types.js';

/** Builds a manifest with the given objects and API key auth, pointing at `baseUrl`. */
export function buildManifest(baseUrl: string, objects: Record<string, ObjectDefinition>, auth?: AuthMethod[]): ConnectorManifest {
  return {
    manifestVersion: 1,
    id: 'test-api',
    name: 'Test API',
    version: '1.0.0',
    category: 'other',
    description: 'Local API used by runtime tests.',
    connection: {
      configSchema: { type: 'object', properties: {} },
      baseUrl,
      test: { request: { method: 'GET', path: '/me' } },
    },
    auth: auth ?? [{ type: 'apiKey', in: 'header', name: 'X-Api-Key' }],
    objects,
  };
}

/** Builds an object definition with the given operations and a string id primary key. */
export function buildObject(operations: ObjectDefinition['operations'], extra: Partial<ObjectDefinition> = {}): ObjectDefinition {
  return {
    label: 'Items',
    description: 'Test records.',
    recordSchema: { type: 'object', properties: { id: { type: 'string' } } },
    primaryKey: 'id',
    operations,
    ...extra,
  };
}

export interface TestContext {
  ctx: ConnectorContext;
  http: HttpClient;
  /** Everything the logger wrote, one JSON line per entry. */
  logs: () => string;
}

/** Builds a context on an HTTP client that may reach loopback, logging at debug level into memory. */
export function buildContext(manifest: ConnectorManifest, options: Partial<ConnectorContext> = {}): TestContext {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger: Logger = createLogger({ level: 'debug', destination });
  const http = options.http ?? createHttpClient({ allowPrivateNetwork: true, userAgent: 'lumio-test', logger, timeoutMs: 5000 });
  const ctx: ConnectorContext = {
    manifest,
    config: {},
    credentials: { apiKey: 'test-key-123456' },
    authMethod: manifest.auth[0] as AuthMethod,
    http,
    logger,
    ...options,
  };
  return { ctx, http, logs: () => lines.join('') };
}

/** Collects every page of an async iterable. */
export async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const collected: T[] = [];
  for await (const page of pages) collected.push(page);
  return collected;
}

/** Runs `action` and returns the error it raises. */
export async function captureRejection(action: () => Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  try {
    await action();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the action to fail');
}

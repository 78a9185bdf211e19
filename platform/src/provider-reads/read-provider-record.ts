import type { FieldMapping } from '@lumio/plugin-sdk';

import type { ConnectionService } from '../connections/index.js';
import { LumioError } from '../errors/index.js';
import { applyMapping, compileMapping } from '../mapping/index.js';
import { lookupStoredRecords } from '../mapping-versions/index.js';
import type { Logger } from '../observability/index.js';
import { executeRequest, getObjectDefinition, getPath, ProviderRequestError, type RequestInfo } from '../runtime/index.js';
import type { Connection, Store } from '../store/index.js';

export interface ProviderReadDependencies {
  connections: ConnectionService;
  store: Store;
  logger: Logger;
}

/** Source of a read's response: a cache layer, the provider after a miss, or the provider with the cache skipped. */
export type ReadSource = 'l1' | 'l2' | 'l3' | 'miss' | 'bypass';

export interface ProviderRecordRead {
  connectionId: string;
  /** Manifest object key, e.g. `contacts`. */
  object: string;
  externalId: string;
  /** The provider's record, as the object's `get` operation returns it. */
  record: unknown;
  /** Canonical object of the connection's active mapping, or null without one. */
  canonicalObject: string | null;
  /** The record mapped with the active mapping, or null without one. */
  data: Record<string, unknown> | null;
  /** Values the mapping could not convert; each such field is null in `data`. */
  mappingErrors: { field: string; code: string; message: string }[];
  cache: ReadSource;
  durationMs: number;
}

export interface ReadOptions {
  /** Skips every cache layer and reads the provider. */
  fresh: boolean;
}

/**
 * Reads one record from the provider with the object's `get` operation, through the shared
 * services: a cached copy serves it when the object declares `cacheTtlSeconds`, and the
 * request goes ahead of bulk sync pages in the rate limiter. The record is also mapped with
 * the connection's active mapping, without storing anything.
 */
export async function readProviderRecord(deps: ProviderReadDependencies, connection: Connection, object: string, externalId: string, options: ReadOptions): Promise<ProviderRecordRead> {
  const { connector, context } = await deps.connections.open(connection);
  const get = getObjectDefinition(connector.manifest, object).operations.get;
  if (!get) {
    throw new LumioError('OBJECT_NOT_READABLE', `Object "${object}" of connector "${connector.id}" has no get operation, so single records cannot be read from the provider; list the stored records with GET /v1/records instead.`, {
      status: 409,
      fault: 'caller',
      details: { field: 'object' },
    });
  }
  context.priority = 'interactive';

  let cache: ReadSource = options.fresh ? 'bypass' : 'miss';
  const onCacheLookup: RequestInfo['onCacheLookup'] = (layer) => {
    cache = layer;
  };
  const started = performance.now();
  let response;
  try {
    response = await executeRequest(context, get, { id: externalId }, { operation: 'get', object, recordId: externalId, fresh: options.fresh, onCacheLookup });
  } catch (error) {
    if (error instanceof ProviderRequestError && error.providerStatus === 404) {
      throw new LumioError('RECORD_NOT_FOUND', `${connector.manifest.name} has no ${object} record with id "${externalId}".`, {
        status: 404,
        fault: 'caller',
        details: { provider: connector.manifest.name, object, externalId, providerStatus: 404 },
      });
    }
    throw error;
  }
  const durationMs = Math.round(performance.now() - started);
  const record = getPath(response.body, get.recordSelector?.path ?? '');

  const mapped = await mapRecord(deps.store, connection, object, record);
  deps.logger.debug({ connectionId: connection.id, object, externalId, cache, durationMs }, 'provider record read');
  return { connectionId: connection.id, object, externalId, record: record ?? null, ...mapped, cache, durationMs };
}

async function mapRecord(store: Store, connection: Connection, object: string, record: unknown): Promise<Pick<ProviderRecordRead, 'canonicalObject' | 'data' | 'mappingErrors'>> {
  const active = await store.mappings.activeFor(connection.id, object);
  if (!active) return { canonicalObject: null, data: null, mappingErrors: [] };

  const [mapped] = await applyMapping(compileMapping(active.definition as FieldMapping), [record], { lookup: lookupStoredRecords(store, connection.id) });
  return {
    canonicalObject: active.canonicalObject,
    data: mapped?.data ?? {},
    mappingErrors: (mapped?.errors ?? []).map((error) => ({ field: error.target, code: error.code, message: error.message })),
  };
}

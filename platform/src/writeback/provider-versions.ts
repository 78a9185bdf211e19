import { executeRequest, getPath, ProviderRequestError, type ConnectorContext } from '../runtime/index.js';
import type { StoredRecord } from '../store/index.js';
import { readSourceUpdatedAt } from '../sync/index.js';
import type { WriteTarget } from './write-target.js';

/** The provider's current version of a record, as far as Lumio can tell. */
export interface ProviderVersion {
  /** When the provider last changed the record (ISO 8601), or null when unknown. */
  updatedAt: string | null;
  /** The record as the object's `get` operation returned it, when it was read. */
  raw?: unknown;
}

/** `get` requests in flight at once while reading current versions. */
const GET_CONCURRENCY = 4;

/**
 * Reads the provider's last-modified time of each record by external id. With a `get`
 * operation each record is read fresh, one request per record; a record the provider no
 * longer has (404) reads as unknown. Without one, the time stored by the last sync or
 * write is used, which misses changes made at the provider since then.
 */
export async function readProviderVersions(
  ctx: ConnectorContext,
  target: WriteTarget,
  externalIds: readonly string[],
  stored: ReadonlyMap<string, StoredRecord>,
  signal: AbortSignal,
): Promise<Map<string, ProviderVersion>> {
  const versions = new Map<string, ProviderVersion>();
  const get = target.definition.operations.get;
  if (!get) {
    for (const externalId of externalIds) versions.set(externalId, { updatedAt: stored.get(externalId)?.sourceUpdatedAt ?? null });
    return versions;
  }

  const queue = [...new Set(externalIds)];
  const worker = async (): Promise<void> => {
    for (let externalId = queue.shift(); externalId !== undefined; externalId = queue.shift()) {
      versions.set(externalId, await readOne(ctx, target, externalId, signal));
    }
  };
  await Promise.all(Array.from({ length: Math.min(GET_CONCURRENCY, queue.length) }, worker));
  return versions;
}

async function readOne(ctx: ConnectorContext, target: WriteTarget, externalId: string, signal: AbortSignal): Promise<ProviderVersion> {
  const get = target.definition.operations.get as NonNullable<WriteTarget['definition']['operations']['get']>;
  try {
    const response = await executeRequest(ctx, get, { id: externalId }, { signal, operation: 'get', object: target.sourceObject, fresh: true });
    const raw = getPath(response.body, get.recordSelector?.path ?? '');
    return { updatedAt: readSourceUpdatedAt(target.definition, raw) ?? null, raw };
  } catch (error) {
    if (error instanceof ProviderRequestError && error.providerStatus === 404) return { updatedAt: null };
    throw error;
  }
}

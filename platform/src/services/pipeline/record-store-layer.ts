import type { HttpRequest, HttpResponse } from '../../http/index.js';
import type { Logger } from '../../observability/index.js';
import type { ConnectorContext } from '../../runtime/index.js';
import type { Store } from '../../store/index.js';
import { splitDotPath } from '../../templates/index.js';
import type { StoredCopy } from '../cache/index.js';

/**
 * The record store as the response cache's last layer. It serves a `get` read with the
 * record that a sync or a webhook event stored. It also keeps the time of each invalidation,
 * so that a copy stored before a change is not served after it (but see the race in `read`).
 */
export interface RecordStoreLayer {
  /** Returns the stored copy of the record a `get` read requests, or undefined when the object does not allow it or none is fresh. */
  read(manifest: ConnectorContext['manifest'], connectionId: string, object: string, recordId: string, request: HttpRequest, ttlMs: number): Promise<StoredCopy | undefined>;
  /** Retires stored copies of one object of a connection, or of all its objects. */
  invalidate(connectionId: string, object: string | undefined): Promise<void>;
}

export interface RecordStoreLayerOptions {
  store: Pick<Store, 'recordCache' | 'mappings'>;
  logger: Logger;
  /** Clock in epoch milliseconds; tests pass a fake one. Default `Date.now`. */
  now?: () => number;
}

/** How long the canonical object of a connection's mapping is reused before it is read again, in milliseconds. */
const CANONICAL_TTL_MS = 30_000;
/** Entries of that memo; it is emptied when full, which costs one mapping read per key. */
const CANONICAL_MAX_ENTRIES = 10_000;

export function createRecordStoreLayer(options: RecordStoreLayerOptions): RecordStoreLayer {
  const { store, logger } = options;
  const now = options.now ?? Date.now;
  const canonicalObjects = new Map<string, { object: string | null; expiresAt: number }>();

  // Records are stored under the canonical object of the connection's active mapping, which
  // is part of the records table's unique key, so it is looked up before the record.
  async function canonicalObjectOf(connectionId: string, object: string): Promise<string | null> {
    const key = `${connectionId}\u0000${object}`;
    const known = canonicalObjects.get(key);
    if (known !== undefined && known.expiresAt > now()) return known.object;

    const active = await store.mappings.activeFor(connectionId, object);
    if (canonicalObjects.size >= CANONICAL_MAX_ENTRIES) canonicalObjects.clear();
    const canonical = active?.canonicalObject ?? null;
    canonicalObjects.set(key, { object: canonical, expiresAt: now() + CANONICAL_TTL_MS });
    return canonical;
  }

  return {
    async read(manifest, connectionId, object, recordId, request, ttlMs) {
      const definition = manifest.objects[object];
      if (definition?.cacheFromRecordStore !== true || definition.operations.get === undefined) return undefined;

      const canonical = await canonicalObjectOf(connectionId, object);
      if (canonical === null) return undefined;

      // NOTE: a record counts from when this platform stored it, not when the provider sent
      // it, so a sync page read before a write and stored after the write's invalidation can
      // serve the older data for up to the lifetime. Times come from each process's clock.
      const writtenSince = new Date(now() - ttlMs).toISOString();
      const stored = await store.recordCache.readFresh({ connectionId, object: canonical, sourceObject: object, externalId: recordId, writtenSince });
      if (stored === null) return undefined;

      const body = placeAt(definition.operations.get.recordSelector?.path ?? '', stored.raw);
      return { response: storedResponse(body, request), writtenAt: Date.parse(stored.updatedAt) };
    },

    async invalidate(connectionId, object) {
      const at = now();
      try {
        await store.recordCache.markInvalidated(connectionId, object, new Date(at).toISOString());
      } catch (error) {
        // NOTE: until this write succeeds, records stored before the change may still serve
        // reads, for at most the object's cacheTtlSeconds after they were stored.
        logger.warn({ err: error, connectionId, object }, 'could not record a cache invalidation in the record store');
      }

      // A record written in the millisecond of the invalidation counts as invalidated, so the
      // caller waits for the next one: the records it writes next (a webhook event's) count.
      while (now() <= at) await new Promise((resolve) => setTimeout(resolve, 1));
    },
  };
}

/** Builds a body in which `getPath(body, path)` returns `record`, as the get operation's response would hold it. */
function placeAt(path: string, record: unknown): unknown {
  let body: unknown = record;
  // A computed key defines an own property, even for a segment named "__proto__".
  for (const segment of [...splitDotPath(path)].reverse()) body = { [segment]: body };
  return body;
}

function storedResponse(body: unknown, request: HttpRequest): HttpResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body,
    rawBody: JSON.stringify(body),
    durationMs: 0,
    url: request.url,
  };
}

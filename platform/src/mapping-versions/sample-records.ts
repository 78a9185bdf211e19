import type { ConnectionService } from '../connections/index.js';
import { getRecordId } from '../runtime/index.js';
import { readObjectPages, type SandboxHost } from '../sandbox/index.js';
import type { Store } from '../store/index.js';
import type { MappedObject } from './mapped-object.js';

/** A provider record used to preview or describe a mapping. */
export interface SampleRecord {
  externalId: string;
  raw: unknown;
}

export interface SampleSet {
  /** `records` when read from the store, `provider` when read live because none were stored. */
  source: 'records' | 'provider';
  records: SampleRecord[];
}

export interface SampleDependencies {
  store: Store;
  connections: ConnectionService;
  /** Runs connector plugins; without it, a connector with a plugin cannot be read live. */
  sandbox?: SandboxHost;
}

/** Reads up to `limit` of the connection's most recently stored records of the object, not deleted ones. */
export async function readStoredSamples(store: Store, mapped: MappedObject, limit: number): Promise<SampleRecord[]> {
  if (mapped.canonicalObject === null) return [];
  return store.mappings.listSampleRecords({
    workspaceId: mapped.connection.workspaceId,
    connectionId: mapped.connection.id,
    object: mapped.object,
    canonicalObject: mapped.canonicalObject,
    limit,
  });
}

/**
 * Reads samples from the store, or, when none are stored yet, the first page of a full
 * read through the connector. The live read writes nothing and goes before sync pages
 * in the rate limiter, because a person waits for it.
 */
export async function readSamples(dependencies: SampleDependencies, mapped: MappedObject, limit: number): Promise<SampleSet> {
  const stored = await readStoredSamples(dependencies.store, mapped, limit);
  if (stored.length > 0) return { source: 'records', records: stored };

  const opened = await dependencies.connections.open(mapped.connection);
  const pages = readObjectPages({
    sandbox: dependencies.sandbox,
    connector: opened.connector,
    context: { ...opened.context, priority: 'interactive' },
    stream: { object: mapped.object, mode: 'full', state: null },
  });
  const first = await pages.next();
  await pages.return(undefined);
  if (first.done) return { source: 'provider', records: [] };

  const records = first.value.records.slice(0, limit).map((raw) => ({ externalId: getRecordId(mapped.manifest, mapped.object, raw), raw }));
  return { source: 'provider', records };
}

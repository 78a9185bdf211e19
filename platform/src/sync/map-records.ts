import { suggestClosest, type ConnectorManifest, type FieldMapping } from '@lumio/plugin-sdk';

import { LumioError } from '../errors/index.js';
import { applyMapping, compileMapping, type CompiledMapping } from '../mapping/index.js';
import { getRecordId } from '../runtime/index.js';
import type { Connection, Store } from '../store/index.js';
import { readSourceUpdatedAt } from './source-updated-at.js';

// Steps a sync run and a sync preview share: checking the object, loading the connection's
// active mapping, and mapping a page of provider records into rows for the record store.

export type ObjectMapping = CompiledMapping & { canonicalObject: string };

/** Raises OBJECT_NOT_FOUND (400), with the closest known name, unless the manifest declares `object`. */
export function requireObject(manifest: ConnectorManifest, object: string): void {
  if (manifest.objects[object]) return;
  const known = Object.keys(manifest.objects);
  const suggestion = suggestClosest(object, known);
  const hint = suggestion ? ` Did you mean ${suggestion}?` : '';
  throw new LumioError('OBJECT_NOT_FOUND', `${manifest.name} has no object "${object}"; known objects: ${known.join(', ')}.${hint}`, { status: 400, fault: 'caller', details: { field: 'type', objects: known } });
}

/** Loads and compiles the connection's active mapping of `object`. Raises MAPPING_MISSING (409) when it has none. */
export async function loadMapping(store: Store, connection: Connection, object: string): Promise<ObjectMapping> {
  const active = await store.mappings.activeFor(connection.id, object);
  if (!active) {
    throw new LumioError('MAPPING_MISSING', `Connection ${connection.id} has no field mapping for ${object}; save one with PUT /v1/integrations/${connection.id}/field-mappings/${object}.`, {
      status: 409,
      fault: 'caller',
    });
  }
  return Object.assign(compileMapping(active.definition as FieldMapping), { canonicalObject: active.canonicalObject });
}

/**
 * Maps a page of provider records. Each row carries the record's external id, mapped data,
 * raw record, deleted flag, provider change time and the mapping's errors. Raises
 * RECORD_ID_MISSING (502) for a record without a primary key value.
 */
export async function mapPage(store: Store, manifest: ConnectorManifest, object: string, mapping: CompiledMapping, connection: Connection, records: unknown[], deleted: boolean) {
  const lookup = async (canonicalObject: string, externalIds: string[]) => {
    const found = await store.records.findByExternalIds(connection.id, canonicalObject, externalIds);
    return new Map(found.map((record) => [record.externalId, { id: record.id, data: record.data as Record<string, unknown> }]));
  };

  const mapped = await applyMapping(mapping, records, { lookup });
  return records.map((raw, index) => {
    const externalId = getRecordId(manifest, object, raw);
    if (externalId === undefined || externalId === null || externalId === '') {
      throw new LumioError('RECORD_ID_MISSING', `A ${object} record from ${manifest.name} has no value at its primary key "${manifest.objects[object]?.primaryKey}".`, {
        status: 502,
        fault: 'provider',
      });
    }
    const result = mapped[index] ?? { data: {}, errors: [] };
    const sourceUpdatedAt = readSourceUpdatedAt(manifest.objects[object], raw);
    return { externalId: String(externalId), data: result.data, raw, deleted, sourceUpdatedAt, errors: result.errors };
  });
}

export type MappedRow = Awaited<ReturnType<typeof mapPage>>[number];

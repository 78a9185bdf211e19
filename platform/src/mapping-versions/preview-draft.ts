import type { FieldMapping } from '@lumio/plugin-sdk';

import { applyMapping, compileMapping, type LookupRecords, type MappedRecord } from '../mapping/index.js';
import { canonicalJson, type Store } from '../store/index.js';
import type { MappedObject } from './mapped-object.js';
import { readSamples, type SampleDependencies } from './sample-records.js';

export interface PreviewSample {
  externalId: string;
  /** The provider's record. */
  source: unknown;
  /** The record mapped with the active mapping; null when the object has none. */
  current: Record<string, unknown> | null;
  /** The record mapped with the draft. */
  draft: Record<string, unknown>;
  /** Dot paths of the canonical fields whose value differs between current and draft. */
  changedFields: string[];
  /** Values the draft could not map, each with its field, which is null in `draft`. */
  errors: { field: string; code: string; message: string }[];
}

export interface MappingPreview {
  object: string;
  canonicalObject: string;
  sampleSource: 'records' | 'provider';
  samples: PreviewSample[];
}

/**
 * Maps sample records with the active mapping and with a draft, and reports the fields
 * that differ. A value a transform cannot convert is an error on that field of its sample,
 * as in a sync. Lookups read the connection's stored records. Nothing is written.
 */
export async function previewDraft(dependencies: SampleDependencies, mapped: MappedObject, draft: FieldMapping, limit: number): Promise<MappingPreview> {
  const samples = await readSamples(dependencies, mapped, limit);
  const raws = samples.records.map((record) => record.raw);
  const lookup = lookupStoredRecords(dependencies.store, mapped.connection.id);

  const draftResults = await applyMapping(compileMapping(draft), raws, { lookup });
  const currentResults = mapped.active ? await applyMapping(compileMapping(mapped.active.definition as FieldMapping), raws, { lookup }) : null;

  return {
    object: mapped.object,
    canonicalObject: draft.canonicalObject,
    sampleSource: samples.source,
    samples: samples.records.map((record, index) => {
      const drafted = draftResults[index] as MappedRecord;
      const current = currentResults?.[index]?.data ?? null;
      return {
        externalId: record.externalId,
        source: record.raw,
        current,
        draft: drafted.data,
        changedFields: listChangedFields(current ?? {}, drafted.data),
        errors: drafted.errors.map((error) => ({ field: error.target, code: error.code, message: error.message })),
      };
    }),
  };
}

/** Looks up mapping references in the connection's stored records. */
export function lookupStoredRecords(store: Store, connectionId: string): LookupRecords {
  return async (canonicalObject, externalIds) => {
    const found = await store.records.findByExternalIds(connectionId, canonicalObject, externalIds);
    return new Map(found.map((record) => [record.externalId, { id: record.id, data: record.data as Record<string, unknown> }]));
  };
}

/** Lists the leaf paths whose values differ, the draft's fields first in their order. A list compares as one value. */
export function listChangedFields(current: Record<string, unknown>, draft: Record<string, unknown>): string[] {
  const before = flattenFields(current);
  const after = flattenFields(draft);

  const changed: string[] = [];
  for (const [path, value] of after) {
    const previous = before.get(path);
    if (!before.has(path) || canonicalJson(previous) !== canonicalJson(value)) changed.push(path);
  }
  for (const path of before.keys()) {
    if (!after.has(path)) changed.push(path);
  }
  return changed;
}

function flattenFields(data: Record<string, unknown>, prefix = '', into = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, value] of Object.entries(data)) {
    const path = `${prefix}${key}`;
    const nested = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0;
    if (nested) flattenFields(value as Record<string, unknown>, `${path}.`, into);
    else into.set(path, value);
  }
  return into;
}

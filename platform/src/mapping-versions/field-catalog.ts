import type { Store } from '../store/index.js';
import { listCanonicalFields, type CanonicalField } from './canonical-fields.js';
import type { MappedObject } from './mapped-object.js';
import { listSchemaFields, listSeenFields, mergeProviderFields, type ProviderField } from './provider-fields.js';
import { readStoredSamples } from './sample-records.js';
import { TRANSFORM_CATALOG, type TransformDescription } from './transform-catalog.js';

/** Stored records read for fields the record schema does not declare. */
export const CATALOG_SAMPLE_SIZE = 200;

/** Options of the studio's mapping canvas: fields to read, fields to write and transforms to apply. */
export interface FieldCatalog {
  object: string;
  canonicalObject: string | null;
  providerFields: ProviderField[];
  canonicalFields: CanonicalField[];
  transforms: readonly TransformDescription[];
  /** How many stored records were read for `seen` fields. */
  sampledRecords: number;
}

/**
 * Builds the catalogue of one connector object: the fields its record schema declares,
 * merged with the fields found in the most recent stored records, the fields of the
 * canonical object the records become, and the transform catalogue.
 */
export async function buildFieldCatalog(store: Store, mapped: MappedObject): Promise<FieldCatalog> {
  const samples = await readStoredSamples(store, mapped, CATALOG_SAMPLE_SIZE);
  const declared = listSchemaFields(mapped.definition.recordSchema);
  const seen = listSeenFields(samples.map((sample) => sample.raw));

  return {
    object: mapped.object,
    canonicalObject: mapped.canonicalObject,
    providerFields: mergeProviderFields(declared, seen),
    canonicalFields: mapped.canonicalObject === null ? [] : listCanonicalFields(mapped.canonicalObject),
    transforms: TRANSFORM_CATALOG,
    sampledRecords: samples.length,
  };
}

import { suggestClosest, type ConnectorManifest, type FieldMapping, type ObjectDefinition } from '@lumio/plugin-sdk';

import { LumioError } from '../errors/index.js';
import type { Connection, StoredMapping, Store } from '../store/index.js';
import type { DefinitionTarget } from './validate-definition.js';

/** A connector object of one connection, with its default and active field mappings. */
export interface MappedObject {
  connection: Connection;
  manifest: ConnectorManifest;
  /** Manifest object key, e.g. `contacts`. */
  object: string;
  definition: ObjectDefinition;
  /** The manifest's default mapping of the object, if it declares one. */
  defaultMapping: FieldMapping | undefined;
  active: StoredMapping | null;
  /** The canonical object the records are stored as: the active mapping's, else the default's, else null. */
  canonicalObject: string | null;
}

/** Loads an object of a connection's connector. Raises OBJECT_NOT_FOUND (404) naming the objects that exist. */
export async function loadMappedObject(store: Store, connection: Connection, manifest: ConnectorManifest, object: string): Promise<MappedObject> {
  const definition = Object.hasOwn(manifest.objects, object) ? manifest.objects[object] : undefined;
  if (!definition) {
    const known = Object.keys(manifest.objects);
    const suggestion = suggestClosest(object, known);
    const hint = suggestion ? ` Did you mean ${suggestion}?` : '';
    throw new LumioError('OBJECT_NOT_FOUND', `${manifest.name} has no object "${object}"; its objects are ${known.join(', ')}.${hint}`, {
      status: 404,
      fault: 'caller',
      details: { field: 'object', objects: known },
    });
  }

  const defaultMapping = manifest.mappings?.find((mapping) => mapping.object === object) as FieldMapping | undefined;
  const active = await store.mappings.activeFor(connection.id, object);
  const canonicalObject = active?.canonicalObject ?? defaultMapping?.canonicalObject ?? null;
  return { connection, manifest, object, definition, defaultMapping, active, canonicalObject };
}

/** Returns the target that a new definition for this object is validated against. */
export function definitionTarget(mapped: MappedObject): DefinitionTarget {
  return { object: mapped.object, recordSchema: mapped.definition.recordSchema, canonicalObject: mapped.canonicalObject };
}

/** Raises MAPPING_NOT_FOUND (404) when the object has no active mapping, and returns it otherwise. */
export function requireActive(mapped: MappedObject): StoredMapping {
  if (mapped.active) return mapped.active;
  throw new LumioError('MAPPING_NOT_FOUND', `Connection ${mapped.connection.id} has no field mapping for ${mapped.object} yet; save one with PUT .../field-mappings/${mapped.object}.`, {
    status: 404,
    fault: 'caller',
  });
}

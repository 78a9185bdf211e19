import { LumioError } from '../errors/index.js';
import { getPath } from './get-path.js';
import type { ConnectorManifest, ObjectDefinition } from './manifest-types.js';

/**
 * Returns a record's id as a string, read at the object's `primaryKey` dot path.
 * Raises `RECORD_ID_MISSING` when the value is absent or not a string or number.
 */
export function getRecordId(manifest: ConnectorManifest, object: string, record: unknown): string {
  const definition = getObjectDefinition(manifest, object);
  const id = getPath(record, definition.primaryKey);
  if ((typeof id === 'string' && id !== '') || (typeof id === 'number' && Number.isFinite(id))) return String(id);

  let message = `A "${object}" record has no usable id at "${definition.primaryKey}"; check primaryKey in the "${manifest.id}" manifest.`;
  // Syncs and the authoring commands read ids from what transformPage returns, so a plugin
  // that rebuilds records can drop the field while primaryKey is right.
  if (manifest.plugin !== undefined) {
    message += ` The connector has a plugin, whose transformPage hook may have removed or changed that field: check that the hook keeps "${definition.primaryKey}" in every record it returns.`;
  }
  throw new LumioError('RECORD_ID_MISSING', message, { status: 502, fault: 'connector', details: { object, primaryKey: definition.primaryKey } });
}

/** Returns the object definition, raising `OBJECT_NOT_FOUND` for a key the manifest lacks. */
export function getObjectDefinition(manifest: ConnectorManifest, object: string): ObjectDefinition {
  const definition = Object.hasOwn(manifest.objects, object) ? manifest.objects[object] : undefined;
  if (definition) return definition;

  const objects = Object.keys(manifest.objects);
  const known = objects.map((key) => `"${key}"`).join(', ');
  throw new LumioError('OBJECT_NOT_FOUND', `The connector "${manifest.id}" has no object "${object}"; use one of ${known}.`, {
    status: 404,
    fault: 'caller',
    details: { connector: manifest.id, object, objects },
  });
}

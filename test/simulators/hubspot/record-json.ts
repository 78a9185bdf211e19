import type { ObjectTypeName } from './object-types.js';
import type { RecordStore, StoredRecord } from './record-store.js';

/**
 * The set of properties a response carries, sorted by name as HubSpot returns them.
 * `names` null means every property the record has (create and update responses).
 */
export interface Projection {
  key: string;
  names: readonly string[] | null;
}

export const ALL_PROPERTIES: Projection = { key: '*', names: null };

/** Splits `properties` query values, which may be repeated, comma-separated or both. */
export function splitPropertyNames(values: readonly string[]): string[] {
  const names: string[] = [];
  for (const value of values) {
    for (const part of value.split(',')) {
      const name = part.trim();
      if (name !== '') {
        names.push(name);
      }
    }
  }
  return names;
}

/**
 * Builds the projection HubSpot applies. Without requested properties it is the object's
 * default properties. Otherwise it is the requested ones plus `createdate`,
 * `hs_object_id` and the last-modified property. Names the object type does not have are
 * left out, as HubSpot leaves them out of the response.
 */
export function buildProjection(store: RecordStore, type: ObjectTypeName, requested: readonly string[]): Projection {
  const schema = store.schema(type);
  const wanted = requested.length === 0 ? schema.defaultProperties : [...requested, ...schema.alwaysReturnedProperties];
  const names = [...new Set(wanted)].filter((name) => store.propertyType(type, name) !== undefined).sort();
  return { key: names.join(','), names };
}

/** Serializes one record in HubSpot's `SimplePublicObject` shape, cached per projection. */
export function recordJson(record: StoredRecord, projection: Projection): string {
  const cached = record.fragments.get(projection.key);
  if (cached !== undefined) {
    return cached;
  }

  const names = projection.names ?? Object.keys(record.properties).sort();
  const parts: string[] = [];
  for (const name of names) {
    parts.push(`${JSON.stringify(name)}:${JSON.stringify(record.properties[name] ?? null)}`);
  }

  let json =
    `{"id":${JSON.stringify(record.id)},"properties":{${parts.join(',')}},` +
    `"createdAt":${JSON.stringify(record.createdAt)},"updatedAt":${JSON.stringify(record.updatedAt)},` +
    `"archived":${record.archived}`;
  if (record.archived && record.archivedAt !== undefined) {
    json += `,"archivedAt":${JSON.stringify(record.archivedAt)}`;
  }
  json += '}';

  record.fragments.set(projection.key, json);
  return json;
}

/** Same as `recordJson` with extra top-level fields appended, such as upsert's `"new"`. */
export function recordJsonWith(record: StoredRecord, projection: Projection, extra: Record<string, unknown>): string {
  const base = recordJson(record, projection);
  const additions = Object.entries(extra)
    .map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value)}`)
    .join(',');
  return additions === '' ? base : `${base.slice(0, -1)},${additions}}`;
}

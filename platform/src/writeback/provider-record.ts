import type { ObjectDefinition } from '@lumio/plugin-sdk';

type FieldSchema = { type?: string | string[]; properties?: Record<string, FieldSchema> };

/**
 * Shapes a record returned by a write like the records a listing returns, so that the next
 * sync finds the stored record unchanged. Only fields the object's `recordSchema` declares
 * are kept, and a declared nullable field the response left out reads as null, as a list
 * request that names the field returns it. Objects without declared fields are kept whole.
 *
 * NOTE: this works for providers whose write responses carry the declared fields, as
 * HubSpot's return every property a record has. When a listing returns fields the record
 * schema does not declare, the next sync counts the record as updated once.
 */
export function shapeLikeListing(definition: ObjectDefinition, record: unknown): unknown {
  return project(definition.recordSchema as FieldSchema, record);
}

function project(schema: FieldSchema, value: unknown): unknown {
  const properties = schema.properties;
  if (!properties || Object.keys(properties).length === 0) return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;

  const source = value as Record<string, unknown>;
  const shaped: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(properties)) {
    if (Object.hasOwn(source, name)) {
      shaped[name] = project(field, source[name]);
    } else if (allowsNull(field)) {
      shaped[name] = null;
    }
  }
  return shaped;
}

function allowsNull(field: FieldSchema): boolean {
  return Array.isArray(field.type) ? field.type.includes('null') : field.type === 'null';
}

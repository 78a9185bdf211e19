import { canonicalCommonSchema, canonicalSchemas, type SchemaDocument } from '@lumio/plugin-sdk';

import { describeSchemaType, isSchemaNode, type SchemaNode } from './schema-nodes.js';

/** One field of a canonical object that a mapping rule can target. */
export interface CanonicalField {
  /** Target path, e.g. `email`, `address.city` or `lineItems[].sku`. */
  name: string;
  /** JSON type: string, number, integer, boolean, array or object. */
  type: string;
  /** True when the canonical schema requires the field in every record. */
  required: boolean;
  description?: string;
  /** JSON Schema format, such as `date`, `date-time` or `email`. */
  format?: string;
  /** The values allowed, when the schema lists them. */
  enum?: unknown[];
  /** Element type of an array field. */
  items?: string;
  /** True for a free-key map such as `customFields`, whose keys are targeted as `customFields.<name>`. */
  freeKeys?: boolean;
}

const cache = new Map<string, CanonicalField[]>();

/** Canonical object names that have a schema, such as `contact` and `deal`. */
export const CANONICAL_OBJECTS: readonly string[] = Object.keys(canonicalSchemas);

/**
 * Lists the fields of a canonical object in schema order: every scalar and array field,
 * nested fields of objects such as `address.city`, fields of array items as
 * `lineItems[].sku`, and free-key maps. Returns [] for an unknown name.
 */
export function listCanonicalFields(canonicalObject: string): CanonicalField[] {
  const cached = cache.get(canonicalObject);
  if (cached) return cached;

  const document = (canonicalSchemas as Readonly<Record<string, SchemaDocument>>)[canonicalObject];
  if (!document) return [];

  const fields: CanonicalField[] = [];
  collectFields(document as SchemaNode, document as SchemaNode, '', true, fields);
  cache.set(canonicalObject, fields);
  return fields;
}

/** Finds the field a target path names; a key inside a free-key map returns the map's value field. */
export function findCanonicalField(canonicalObject: string, target: string): CanonicalField | undefined {
  const fields = listCanonicalFields(canonicalObject);
  const exact = fields.find((field) => field.name === target);
  if (exact) return exact;

  const map = fields.find((field) => field.freeKeys === true && target.startsWith(`${field.name}.`));
  if (!map || target.slice(map.name.length + 1).includes('.')) return undefined;
  return { name: target, type: map.items ?? 'unknown', required: false };
}

function collectFields(node: SchemaNode, document: SchemaNode, prefix: string, parentRequired: boolean, fields: CanonicalField[]): void {
  const properties = isSchemaNode(node.properties) ? node.properties : {};
  const required = Array.isArray(node.required) ? node.required : [];

  for (const [key, declared] of Object.entries(properties)) {
    if (!isSchemaNode(declared)) continue;
    const { schema, document: home } = dereference(declared, document);
    const name = `${prefix}${key}`;
    const isRequired = parentRequired && required.includes(key);
    // A property's own description is more specific than the shared definition it refers to.
    let description: string | undefined;
    if (typeof declared.description === 'string') description = declared.description;
    else if (typeof schema.description === 'string') description = schema.description;
    const type = describeSchemaType(schema);

    if (type === 'object' && isSchemaNode(schema.properties)) {
      collectFields(schema, home, `${name}.`, isRequired, fields);
      continue;
    }

    const field: CanonicalField = { name, type, required: isRequired };
    if (description !== undefined) field.description = description;
    if (typeof schema.format === 'string') field.format = schema.format;
    if (Array.isArray(schema.enum)) field.enum = schema.enum;

    if (type === 'object' && isSchemaNode(schema.additionalProperties)) {
      field.freeKeys = true;
      field.items = describeSchemaType(schema.additionalProperties);
    }

    if (type === 'array' && isSchemaNode(schema.items)) {
      const items = dereference(schema.items, home);
      field.items = describeSchemaType(items.schema);
      fields.push(field);
      if (field.items === 'object') collectFields(items.schema, items.document, `${name}[].`, isRequired, fields);
      continue;
    }
    fields.push(field);
  }
}

/** Follows a `$ref` into the same document or into common.schema.json, the only targets the canonical schemas use. */
function dereference(node: SchemaNode, document: SchemaNode): { schema: SchemaNode; document: SchemaNode } {
  const ref = node.$ref;
  if (typeof ref !== 'string') return { schema: node, document };

  const [file = '', pointer = ''] = ref.split('#');
  const target = file === '' ? document : (canonicalCommonSchema as SchemaNode);
  let current: unknown = target;
  for (const token of pointer.split('/').filter((part) => part !== '')) {
    current = isSchemaNode(current) ? current[token.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
  }
  if (!isSchemaNode(current)) return { schema: node, document };
  return dereference(current, target);
}

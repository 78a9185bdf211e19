/** A JSON Schema object, read loosely: record schemas in manifests are connector authors' input. */
export type SchemaNode = Record<string, unknown>;

export function isSchemaNode(value: unknown): value is SchemaNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Names the JSON type a schema declares, leaving out "null": `["string", "null"]` is
 * "string", several types join with "|" ("string|number"), and a schema without `type`
 * is "object" when it declares properties and "unknown" otherwise.
 */
export function describeSchemaType(schema: unknown): string {
  if (!isSchemaNode(schema)) return 'unknown';

  const declared = schema.type;
  const types = (Array.isArray(declared) ? declared : [declared]).filter((type): type is string => typeof type === 'string' && type !== 'null');
  if (types.length > 0) return types.join('|');
  if (declared === 'null' || (Array.isArray(declared) && declared.includes('null'))) return 'null';
  return isSchemaNode(schema.properties) ? 'object' : 'unknown';
}

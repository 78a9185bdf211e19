/** A JSON Schema object as parsed from JSON. Boolean schemas are not used by Lumio's schemas. */
export type SchemaObject = { [keyword: string]: unknown };

/** Keywords whose value is a map from names to subschemas. */
const MAP_KEYWORDS = ['$defs', 'definitions', 'properties', 'patternProperties', 'dependentSchemas'] as const;

/** Keywords whose value is one subschema. */
const SINGLE_KEYWORDS = [
  'additionalProperties',
  'items',
  'propertyNames',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedProperties',
  'unevaluatedItems',
] as const;

/** Keywords whose value is a list of subschemas. */
const LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;

/**
 * Calls `visit` for a schema and, depth first, for every subschema under it, with the
 * JSON pointer of each from the start schema. Only schema keywords are followed, so a
 * property that happens to be named "oneOf" is visited as a property schema, never
 * mistaken for the keyword.
 */
export function walkSchema(
  schema: SchemaObject,
  visit: (subschema: SchemaObject, pointer: string) => void,
  pointer = '',
): void {
  visit(schema, pointer);

  for (const keyword of MAP_KEYWORDS) {
    const map = schema[keyword];
    if (!isSchemaObject(map)) continue;
    for (const [name, subschema] of Object.entries(map)) {
      if (isSchemaObject(subschema)) {
        walkSchema(subschema, visit, `${pointer}/${keyword}/${escapePointerToken(name)}`);
      }
    }
  }

  for (const keyword of SINGLE_KEYWORDS) {
    const subschema = schema[keyword];
    if (isSchemaObject(subschema)) walkSchema(subschema, visit, `${pointer}/${keyword}`);
  }

  for (const keyword of LIST_KEYWORDS) {
    const list = schema[keyword];
    if (!Array.isArray(list)) continue;
    list.forEach((subschema: unknown, index) => {
      if (isSchemaObject(subschema)) walkSchema(subschema, visit, `${pointer}/${keyword}/${index}`);
    });
  }
}

export function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Escapes one JSON pointer reference token (RFC 6901: "~" becomes "~0", "/" becomes "~1"). */
export function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Reverses `escapePointerToken`. */
export function unescapePointerToken(token: string): string {
  return token.replaceAll('~1', '/').replaceAll('~0', '~');
}

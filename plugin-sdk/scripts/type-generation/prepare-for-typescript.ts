import { isSchemaObject, unescapePointerToken, walkSchema, type SchemaObject } from '../../src/json-schema/index.js';

/** Keywords that only constrain values and that json-schema-to-typescript would misread or ignore. */
const VALIDATION_ONLY_KEYWORDS = ['if', 'then', 'else', 'dependentRequired', 'dependentSchemas', 'not'];

/** Keywords that give a `oneOf`/`anyOf` branch a shape; a branch without any of them only constrains. */
const SHAPE_KEYWORDS = ['type', 'properties', '$ref', 'const', 'enum', 'items', 'oneOf', 'anyOf', 'allOf', 'tsType'];

/**
 * Returns a copy of `schema` that json-schema-to-typescript turns into the intended types:
 *
 * - A `$ref` loses its sibling keywords. The tool otherwise merges a property's
 *   description into the referenced type and declares it a second time (e.g. "ListOperation1").
 * - A local `$ref` to something other than a `$defs` entry, such as
 *   "#/$defs/RequestTemplate/properties/query", is replaced by a copy of its target, because
 *   the tool would otherwise declare a type named after the last pointer token ("Query").
 * - `rewriteRef` may replace any other `$ref` with another schema, e.g. `{ tsType: 'FieldRule' }`
 *   for a type that another generated file declares.
 * - `oneOf`/`anyOf` lists whose branches only list required properties (a FieldRule has
 *   exactly one of source, sources and constant) are dropped, like `if`/`then`/`else` and
 *   `dependentRequired`. The types describe shape, and the validator enforces the rest.
 * - A schema that allows any JSON value becomes `unknown` instead of an object type.
 */
export function prepareForTypeScript(
  schema: SchemaObject,
  rewriteRef: (ref: string) => SchemaObject | undefined = () => undefined,
): SchemaObject {
  const copy = structuredClone(schema);
  delete copy.$schema;
  delete copy.$id;

  walkSchema(copy, (subschema) => {
    const ref = subschema.$ref;
    if (typeof ref === 'string') {
      const replacement = inlineTarget(schema, ref) ?? rewriteRef(ref) ?? { $ref: ref };
      for (const key of Object.keys(subschema)) delete subschema[key];
      Object.assign(subschema, replacement);
    }

    for (const keyword of VALIDATION_ONLY_KEYWORDS) delete subschema[keyword];

    for (const keyword of ['oneOf', 'anyOf']) {
      const branches = subschema[keyword];
      if (Array.isArray(branches) && branches.every((branch) => !hasShape(branch))) delete subschema[keyword];
    }

    if (!hasShape(subschema) && !('additionalProperties' in subschema)) subschema.tsType = 'unknown';
  });
  return copy;
}

/** Returns a copy of the target of a local `$ref` that points deeper than a `$defs` entry. */
function inlineTarget(root: SchemaObject, ref: string): SchemaObject | undefined {
  if (!ref.startsWith('#/')) return undefined;
  const tokens = ref.slice(2).split('/').map(unescapePointerToken);
  if (tokens.length <= 2 && tokens[0] === '$defs') return undefined;

  let target: unknown = root;
  for (const token of tokens) target = isSchemaObject(target) ? target[token] : undefined;
  if (!isSchemaObject(target)) throw new Error(`Schema reference ${ref} names nothing.`);
  return structuredClone(target);
}

function hasShape(branch: unknown): boolean {
  return isSchemaObject(branch) && SHAPE_KEYWORDS.some((keyword) => keyword in branch);
}

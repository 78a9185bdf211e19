import { isSchemaObject, walkSchema, type SchemaObject, type SchemaRegistry } from '../json-schema/index.js';

/** Property names that select the branch of a `oneOf` in Lumio's schemas. */
const DISCRIMINANTS = ['type', 'scheme'];

/** A `oneOf` whose branches each fix one property (the discriminant) to a different constant. */
export interface DiscriminatedUnion {
  discriminant: string;
  branches: { value: string; ref: string }[];
}

/**
 * Finds every discriminated `oneOf` in the documents (AuthMethod, Pagination, Transform,
 * WebhookSignature) and returns them keyed by schema object identity. Each branch must be
 * a `$ref` to an object schema whose discriminant property has a string `const`.
 */
export function indexDiscriminatedUnions(
  documents: SchemaObject[],
  registry: SchemaRegistry,
): WeakMap<object, DiscriminatedUnion> {
  const unions = new WeakMap<object, DiscriminatedUnion>();
  for (const document of documents) {
    const documentId = String(document.$id);
    walkSchema(document, (schema) => {
      const union = describeUnion(schema, documentId, registry);
      if (union !== undefined) unions.set(schema, union);
    });
  }
  return unions;
}

function describeUnion(schema: SchemaObject, documentId: string, registry: SchemaRegistry): DiscriminatedUnion | undefined {
  const oneOf = schema.oneOf;
  if (!Array.isArray(oneOf) || oneOf.length === 0) return undefined;

  for (const discriminant of DISCRIMINANTS) {
    const branches: DiscriminatedUnion['branches'] = [];
    for (const branch of oneOf) {
      const ref = isSchemaObject(branch) ? branch.$ref : undefined;
      if (typeof ref !== 'string') return undefined;
      const target = registry.resolve(ref, documentId);
      const properties = target?.schema.properties;
      const tag = isSchemaObject(properties) && isSchemaObject(properties[discriminant]) ? properties[discriminant].const : undefined;
      if (typeof tag !== 'string') break;
      branches.push({ value: tag, ref: registry.absoluteRef(ref, documentId) });
    }
    if (branches.length === oneOf.length) return { discriminant, branches };
  }
  return undefined;
}

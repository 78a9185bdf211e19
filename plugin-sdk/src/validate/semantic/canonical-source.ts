import { canonicalCommonSchema, canonicalSchemas, connectorManifestSchema, fieldMappingSchema } from '../../generated/schemas.js';
import { SchemaRegistry, type SchemaObject } from '../../json-schema/index.js';

/** Canonical object schemas by name, with a registry that resolves their `$ref`s. */
export interface CanonicalSchemaSource {
  schemas: Readonly<Record<string, SchemaObject>>;
  registry: SchemaRegistry;
}

let builtIn: CanonicalSchemaSource | undefined;

/** Returns the canonical schemas that ship with the SDK. */
export function builtInCanonicalSource(): CanonicalSchemaSource {
  builtIn ??= canonicalSourceFrom(canonicalSchemas as unknown as Record<string, SchemaObject>);
  return builtIn;
}

/**
 * Wraps caller-supplied canonical schemas. Their `$ref`s may point into the SDK's
 * documents (such as common.schema.json); a supplied schema replaces an SDK document with
 * the same `$id`.
 */
export function canonicalSourceFrom(schemas: Readonly<Record<string, SchemaObject>>): CanonicalSchemaSource {
  const documents = new Map<string, SchemaObject>();
  const sdkDocuments = [connectorManifestSchema, fieldMappingSchema, canonicalCommonSchema, ...Object.values(canonicalSchemas)];
  for (const document of [...sdkDocuments, ...Object.values(schemas)] as SchemaObject[]) {
    if (typeof document.$id === 'string') documents.set(document.$id, document);
  }
  return { schemas, registry: new SchemaRegistry(documents.values()) };
}

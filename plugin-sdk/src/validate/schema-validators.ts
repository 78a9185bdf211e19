import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';

import {
  canonicalCommonSchema,
  canonicalSchemas,
  connectorManifestSchema,
  fieldMappingSchema,
  type SchemaDocument,
} from '../generated/schemas.js';
import { SchemaRegistry, type SchemaObject } from '../json-schema/index.js';
import { indexDiscriminatedUnions, type DiscriminatedUnion } from './discriminated-unions.js';

/** The compiled schemas and the indexes that error explanation and semantic checks use. */
export interface SchemaValidators {
  ajv: Ajv2020;
  registry: SchemaRegistry;
  /** Discriminated `oneOf` schemas by identity, as ajv reports them in `parentSchema`. */
  unions: WeakMap<object, DiscriminatedUnion>;
  manifest: ValidateFunction;
  fieldMapping: ValidateFunction;
}

// ajv-formats ships CommonJS, and TypeScript types its default import as the module
// object rather than the plugin function, so the function is read from either shape.
const addFormats = ((addFormatsPlugin as unknown as { default?: unknown }).default ??
  addFormatsPlugin) as (ajv: Ajv2020) => Ajv2020;

let cached: SchemaValidators | undefined;

/** Returns the validators, compiling every schema on the first call only. */
export function getSchemaValidators(): SchemaValidators {
  cached ??= compileValidators();
  return cached;
}

function compileValidators(): SchemaValidators {
  const documents: SchemaDocument[] = [
    connectorManifestSchema,
    fieldMappingSchema,
    canonicalCommonSchema,
    ...Object.values(canonicalSchemas),
  ];

  const ajv = new Ajv2020({
    strict: true,
    // strictRequired cannot see properties declared next to an if/then or oneOf, so it
    // rejects "endpointGroup required when scope is endpointGroup". The schema walk test
    // checks instead that every required name is a declared property.
    strictRequired: false,
    // The schemas use type lists such as ["string", "number", "boolean"] on purpose.
    allowUnionTypes: true,
    allErrors: true,
    // Adds data and parentSchema to each error, which the error explanation reads.
    verbose: true,
  });
  addFormats(ajv);
  for (const document of documents) ajv.addSchema(document as SchemaObject);

  const registry = new SchemaRegistry(documents as SchemaObject[]);
  return {
    ajv,
    registry,
    unions: indexDiscriminatedUnions(documents as SchemaObject[], registry),
    manifest: requireValidator(ajv, connectorManifestSchema.$id),
    fieldMapping: requireValidator(ajv, fieldMappingSchema.$id),
  };
}

/** Returns the compiled validator for an absolute schema reference such as "<$id>#/$defs/ApiKeyAuth". */
export function requireValidator(ajv: Ajv2020, ref: string): ValidateFunction {
  const validate = ajv.getSchema(ref);
  if (validate === undefined) throw new Error(`Internal error: no schema is registered for ${ref}.`);
  return validate;
}

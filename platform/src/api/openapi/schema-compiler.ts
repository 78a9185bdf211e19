import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';

import type { SchemaObject } from './builders.js';

/** `$id` under which the document's component schemas are registered with ajv. */
const COMPONENTS_ID = 'https://lumio.invalid/openapi/components';
const LOCAL_REF = '#/components/schemas/';

// ajv-formats is CommonJS, so its default export arrives wrapped or not depending on the loader.
const addFormats = ((addFormatsPlugin as unknown as { default?: unknown }).default ?? addFormatsPlugin) as (ajv: Ajv2020) => Ajv2020;

export type { ErrorObject, ValidateFunction };

export interface SchemaCompiler {
  /** Compiles a schema of the document; its `#/components/schemas/…` references resolve. */
  compile(schema: SchemaObject): ValidateFunction;
}

/**
 * Creates an ajv instance (JSON Schema 2020-12, the dialect of OpenAPI 3.1) that holds the
 * document's component schemas. ajv cannot resolve a reference into the OpenAPI document
 * itself, so the components are registered as `$defs` of one schema and references are
 * rewritten to point there.
 */
export function createSchemaCompiler(componentSchemas: Record<string, SchemaObject>): SchemaCompiler {
  const ajv = createAjv(true);
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: rewriteRefs(componentSchemas) as SchemaObject });

  return {
    compile: (schema) => ajv.compile(rewriteRefs(schema) as SchemaObject),
  };
}

/** Compiles a standalone JSON Schema 2020-12 with formats, such as a schema describing documents. */
export function compileJsonSchema(schema: SchemaObject, options: { strict?: boolean } = {}): ValidateFunction {
  return createAjv(options.strict ?? true).compile(schema);
}

function createAjv(strict: boolean): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, strict, strictRequired: false });
  addFormats(ajv);
  return ajv;
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;

  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = key === '$ref' && typeof item === 'string' && item.startsWith(LOCAL_REF) ? `${COMPONENTS_ID}#/$defs/${item.slice(LOCAL_REF.length)}` : rewriteRefs(item);
  }
  return copy;
}

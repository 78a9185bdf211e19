import { canonicalCommonSchema, canonicalSchemas, suggestClosest } from '@lumio/plugin-sdk';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';

// Checks canonical record data against Lumio's canonical JSON Schemas (schemas/canonical),
// with one problem per field, named by its dot path.

/** One invalid field of a request. */
export interface FieldProblem {
  /** Dot path from the request body, e.g. `data.email` or `records[3].data.address.country`. */
  field: string;
  message: string;
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
  parentSchema?: unknown;
}

interface ValidateFunction {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}

// ajv-formats is CommonJS, so its default export arrives wrapped or not depending on the loader.
const addFormats = ((addFormatsPlugin as unknown as { default?: unknown }).default ?? addFormatsPlugin) as (ajv: Ajv2020) => Ajv2020;

let validators: Map<string, ValidateFunction> | undefined;

function compileValidators(): Map<string, ValidateFunction> {
  // verbose adds parentSchema to each error, which names the known fields in a hint.
  const ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true, verbose: true });
  addFormats(ajv);
  ajv.addSchema(canonicalCommonSchema as object);

  const compiled = new Map<string, ValidateFunction>();
  for (const [name, schema] of Object.entries(canonicalSchemas)) compiled.set(name, ajv.compile(schema as object));
  return compiled;
}

/** Names of Lumio's canonical objects, e.g. `contact`. */
export const CANONICAL_OBJECT_NAMES: readonly string[] = Object.keys(canonicalSchemas);

/**
 * Validates `data` as a record of the canonical `object` and returns its problems, none
 * when it is valid. `prefix` is put in front of each field path (`data`). With `partial`,
 * top-level required fields may be missing, for a record of which only some fields are known.
 */
export function validateCanonicalRecord(object: string, data: unknown, prefix: string, options: { partial?: boolean } = {}): FieldProblem[] {
  validators ??= compileValidators();
  const validate = validators.get(object);
  if (!validate) return [{ field: prefix, message: `${object} is not a canonical object.` }];
  if (validate(data)) return [];

  const errors = (validate.errors ?? []).filter((error) => !(options.partial && error.keyword === 'required' && error.instancePath === ''));
  const problems = errors.map((error) => describeError(object, error, prefix));
  // allErrors reports an enum or format failure once per failing keyword; one line per field and message is enough.
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.field}\n${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describeError(object: string, error: SchemaError, prefix: string): FieldProblem {
  const path = joinPath(prefix, pointerToPath(error.instancePath));
  const params = error.params;

  switch (error.keyword) {
    case 'required':
      return { field: joinPath(path, String(params.missingProperty)), message: `${joinPath(path, String(params.missingProperty))} is required in ${withArticle(object)}.` };
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const known = Object.keys(readProperties(error.parentSchema));
      const suggestion = suggestClosest(name, known);
      const hint = suggestion ? ` Did you mean ${suggestion}?` : '';
      return { field: joinPath(path, name), message: `${joinPath(path, name)} is not a field of ${withArticle(object)}.${hint}` };
    }
    case 'type':
      return { field: path, message: `${path} must be ${describeType(params.type)}.` };
    case 'enum':
      return { field: path, message: `${path} must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}.` };
    case 'format':
      return { field: path, message: `${path} must be a valid ${describeFormat(String(params.format))}.` };
    case 'pattern':
      return { field: path, message: `${path} must match the pattern ${String(params.pattern)}.` };
    default:
      return { field: path, message: `${path} ${error.message ?? 'is invalid'}.` };
  }
}

function withArticle(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function readProperties(schema: unknown): Record<string, unknown> {
  const properties = (schema as { properties?: unknown } | undefined)?.properties;
  return properties !== null && typeof properties === 'object' ? (properties as Record<string, unknown>) : {};
}

/** Converts a JSON pointer ("/address/city", "/tags/0") to a dot path ("address.city", "tags.0"). */
function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');
}

function joinPath(prefix: string, path: string): string {
  if (path === '') return prefix;
  return prefix === '' ? path : `${prefix}.${path}`;
}

function describeType(type: unknown): string {
  const names = Array.isArray(type) ? type.map(String) : [String(type)];
  return names.map((name) => (name === 'null' ? 'null' : withArticle(name))).join(' or ');
}

function describeFormat(format: string): string {
  switch (format) {
    case 'email':
      return 'e-mail address';
    case 'date':
      return 'date (YYYY-MM-DD)';
    case 'date-time':
      return 'ISO 8601 date-time, such as 2025-03-01T12:00:00Z';
    case 'uri':
      return 'absolute URL';
    default:
      return `${format} value`;
  }
}

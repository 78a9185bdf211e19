import type { SchemaObject } from '../../src/json-schema/index.js';
import type { SchemaSet } from './load-schemas.js';
import { generatedBanner } from './render-type-modules.js';

/**
 * Renders schemas.ts, which embeds the schema documents as constants so that the SDK
 * and the platform never read the schemas/ folder at run time.
 */
export function renderSchemaModule(schemas: SchemaSet): string {
  const canonicalEntries = [...schemas.canonical]
    .map(([name, document]) => `  ${name}: ${embed(document, 2)},`)
    .join('\n');

  return [
    generatedBanner('schemas/**/*.schema.json'),
    '',
    "import type { CanonicalObjectName } from './field-mapping.js';",
    '',
    '/** A JSON Schema (draft 2020-12) document from the schemas/ folder. */',
    'export interface SchemaDocument {',
    '  readonly $schema: string;',
    '  readonly $id: string;',
    '  readonly title: string;',
    '  readonly [keyword: string]: unknown;',
    '}',
    '',
    '/** schemas/connector-manifest.schema.json */',
    `export const connectorManifestSchema: SchemaDocument = ${embed(schemas.manifest, 0)};`,
    '',
    '/** schemas/field-mapping.schema.json */',
    `export const fieldMappingSchema: SchemaDocument = ${embed(schemas.fieldMapping, 0)};`,
    '',
    '/** schemas/canonical/common.schema.json: definitions shared by the canonical object schemas. */',
    `export const canonicalCommonSchema: SchemaDocument = ${embed(schemas.canonicalCommon, 0)};`,
    '',
    '/** schemas/canonical/<name>.schema.json for each canonical object. */',
    'export const canonicalSchemas: Readonly<Record<CanonicalObjectName, SchemaDocument>> = {',
    canonicalEntries,
    '};',
    '',
  ].join('\n');
}

function embed(document: SchemaObject, indent: number): string {
  return JSON.stringify(document, null, 2).replaceAll('\n', `\n${' '.repeat(indent)}`);
}

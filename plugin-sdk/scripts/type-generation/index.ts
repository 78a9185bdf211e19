import { loadSchemas, SCHEMA_DIRECTORY } from './load-schemas.js';
import { renderSchemaModule } from './render-schema-module.js';
import { renderCanonicalTypes, renderFieldMappingTypes, renderManifestTypes } from './render-type-modules.js';

export { REGENERATE_COMMAND } from './render-type-modules.js';

/** The folder the generated files belong in: plugin-sdk/src/generated. */
export const GENERATED_DIRECTORY = new URL('../../src/generated/', import.meta.url);

/** One generated file: its name inside plugin-sdk/src/generated and its full text. */
export interface GeneratedFile {
  fileName: string;
  contents: string;
}

/**
 * Renders every generated file from the schemas, in memory. The output depends only on
 * the schema files and the installed json-schema-to-typescript and prettier versions.
 */
export async function renderGeneratedFiles(schemaDirectory = SCHEMA_DIRECTORY): Promise<GeneratedFile[]> {
  const schemas = await loadSchemas(schemaDirectory);
  return [
    { fileName: 'manifest.ts', contents: await renderManifestTypes(schemas) },
    { fileName: 'field-mapping.ts', contents: await renderFieldMappingTypes(schemas) },
    { fileName: 'canonical.ts', contents: await renderCanonicalTypes(schemas) },
    { fileName: 'schemas.ts', contents: renderSchemaModule(schemas) },
  ];
}

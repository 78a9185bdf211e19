import { compile, type Options } from 'json-schema-to-typescript';

import type { SchemaObject } from '../../src/json-schema/index.js';
import { prepareForTypeScript } from './prepare-for-typescript.js';
import type { SchemaSet } from './load-schemas.js';

export const REGENERATE_COMMAND = 'npm run generate:types';

/** First lines of every generated file. */
export function generatedBanner(source: string): string {
  return [
    `// Generated from ${source} by plugin-sdk/scripts/generate-types.ts. Do not edit:`,
    `// change the schema and run \`${REGENERATE_COMMAND}\` instead.`,
  ].join('\n');
}

const COMPILE_OPTIONS: Partial<Options> = {
  additionalProperties: false,
  declareExternallyReferenced: true,
  format: true,
  strictIndexSignatures: false,
  // Keep arrays with minItems as T[] (as the manifest contract declares them) rather than tuples.
  ignoreMinAndMaxItems: true,
  unknownAny: true,
  style: { singleQuote: true, bracketSpacing: true, trailingComma: 'all', printWidth: 110, semi: true },
  // Every $ref is local by the time a schema gets here. Refusing external ones makes sure
  // that generation never reads a file or the network.
  $refOptions: { resolve: { external: false } },
};

/** Renders field-mapping.ts: FieldMapping, FieldRule, Transform and its members, CanonicalObjectName. */
export async function renderFieldMappingTypes(schemas: SchemaSet): Promise<string> {
  const prepared = prepareForTypeScript(schemas.fieldMapping);
  return compileTypes(prepared, generatedBanner('schemas/field-mapping.schema.json'));
}

/**
 * Renders manifest.ts. References into field-mapping.schema.json become imports from
 * field-mapping.ts, so each type is declared in one file only.
 */
export async function renderManifestTypes(schemas: SchemaSet): Promise<string> {
  const manifestId = String(schemas.manifest.$id);
  const fieldMappingId = String(schemas.fieldMapping.$id);
  const imported = new Set<string>();

  const prepared = prepareForTypeScript(schemas.manifest, (ref) => {
    const absolute = new URL(ref, manifestId);
    if (absolute.href.startsWith(`${manifestId}#`)) return undefined;
    const name = definitionTitle(schemas.fieldMapping, absolute, fieldMappingId);
    imported.add(name);
    return { tsType: name };
  });

  const importLine = `import type { ${[...imported].sort().join(', ')} } from './field-mapping.js';`;
  return compileTypes(prepared, `${generatedBanner('schemas/connector-manifest.schema.json')}\n\n${importLine}`);
}

/**
 * Renders canonical.ts from one in-memory bundle of the canonical schemas, so shared
 * definitions such as Address are declared once. Its root, CanonicalRecordMap, maps each
 * canonical object name to its record type.
 */
export async function renderCanonicalTypes(schemas: SchemaSet): Promise<string> {
  const commonId = String(schemas.canonicalCommon.$id);
  const titles = new Map<string, string>();
  for (const document of schemas.canonical.values()) titles.set(String(document.$id), String(document.title));

  // A $ref into common.schema.json points at the hoisted $defs; a $ref into an object
  // schema points inside that schema's own $defs entry in the bundle.
  const bundleRef = (documentId: string) => (ref: string) => {
    const absolute = new URL(ref, documentId);
    const pointer = decodeURIComponent(absolute.hash.slice(1));
    absolute.hash = '';
    if (absolute.href === commonId) return { $ref: `#${pointer}` };
    const title = titles.get(absolute.href);
    if (title === undefined) throw new Error(`Canonical schema reference ${ref} names an unknown document.`);
    return { $ref: `#/$defs/${title}${pointer}` };
  };

  const defs: Record<string, unknown> = {};
  const common = prepareForTypeScript(schemas.canonicalCommon, bundleRef(commonId));
  Object.assign(defs, common.$defs);
  const properties: Record<string, unknown> = {};
  for (const [name, document] of schemas.canonical) {
    const title = String(document.title);
    defs[title] = prepareForTypeScript(document, bundleRef(String(document.$id)));
    properties[name] = { $ref: `#/$defs/${title}` };
  }

  const bundle: SchemaObject = {
    title: 'CanonicalRecordMap',
    description: 'The canonical record type of each canonical object name.',
    type: 'object',
    additionalProperties: false,
    required: [...schemas.canonical.keys()],
    properties,
    $defs: defs,
  };
  return compileTypes(bundle, generatedBanner('schemas/canonical/*.schema.json'));
}

async function compileTypes(schema: SchemaObject, bannerComment: string): Promise<string> {
  // The name argument only matters for schemas without a title; each of ours has one.
  return compile(schema as Parameters<typeof compile>[0], String(schema.title), { ...COMPILE_OPTIONS, bannerComment });
}

function definitionTitle(document: SchemaObject, ref: URL, documentId: string): string {
  const prefix = '/$defs/';
  const pointer = decodeURIComponent(ref.hash.slice(1));
  const name = pointer.startsWith(prefix) ? pointer.slice(prefix.length) : '';
  const definition = (document.$defs as Record<string, SchemaObject> | undefined)?.[name];
  if (definition === undefined || name.includes('/') || typeof definition.title !== 'string') {
    throw new Error(`Reference ${ref.href} must name a titled $defs entry of ${documentId}.`);
  }
  return definition.title;
}

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { SchemaObject } from '../../src/json-schema/index.js';

/** The repository's schemas/ folder, the source of every generated file. */
export const SCHEMA_DIRECTORY = fileURLToPath(new URL('../../../schemas/', import.meta.url));

/** The schema documents that generation reads, keyed by role. */
export interface SchemaSet {
  manifest: SchemaObject;
  fieldMapping: SchemaObject;
  /** schemas/canonical/common.schema.json: $defs shared by the canonical objects. */
  canonicalCommon: SchemaObject;
  /** One schema per canonical object, keyed by name, in the order of the CanonicalObjectName enum. */
  canonical: Map<string, SchemaObject>;
}

/**
 * Reads every schema document. Throws when a canonical schema file and the
 * CanonicalObjectName enum disagree, because the enum is what mappings are checked against.
 */
export async function loadSchemas(directory = SCHEMA_DIRECTORY): Promise<SchemaSet> {
  const manifest = await readJson(join(directory, 'connector-manifest.schema.json'));
  const fieldMapping = await readJson(join(directory, 'field-mapping.schema.json'));
  const canonicalCommon = await readJson(join(directory, 'canonical', 'common.schema.json'));

  const names = readCanonicalNames(fieldMapping);
  const files = (await readdir(join(directory, 'canonical')))
    .filter((file) => file.endsWith('.schema.json') && file !== 'common.schema.json')
    .map((file) => file.slice(0, -'.schema.json'.length))
    .sort();
  const expected = [...names].sort();
  if (files.join(',') !== expected.join(',')) {
    throw new Error(
      `schemas/canonical has schemas for [${files.join(', ')}] but CanonicalObjectName lists [${expected.join(', ')}]; make them match.`,
    );
  }

  const canonical = new Map<string, SchemaObject>();
  for (const name of names) {
    canonical.set(name, await readJson(join(directory, 'canonical', `${name}.schema.json`)));
  }
  return { manifest, fieldMapping, canonicalCommon, canonical };
}

function readCanonicalNames(fieldMapping: SchemaObject): string[] {
  const defs = fieldMapping.$defs as Record<string, SchemaObject> | undefined;
  const names = defs?.CanonicalObjectName?.enum;
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) {
    throw new Error('field-mapping.schema.json must define $defs/CanonicalObjectName with a string enum.');
  }
  return names;
}

async function readJson(path: string): Promise<SchemaObject> {
  return JSON.parse(await readFile(path, 'utf8')) as SchemaObject;
}

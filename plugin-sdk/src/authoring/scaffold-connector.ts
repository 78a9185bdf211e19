import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';

import { AuthoringError, usageError } from './authoring-error.js';
import type { CommandOutput } from './command-support.js';
import { displayPath } from './connector-folder.js';
import { FIXTURES_FOLDER } from './recording-format.js';
import { manifestTemplate, pluginTemplate, readmeTemplate, replayTestTemplate, type ScaffoldNames } from './scaffold-templates.js';

/** The manifest schema's rule for connector ids. */
const CONNECTOR_ID = /^[a-z][a-z0-9-]{1,62}$/;

/** Path of the manifest schema in a repository, relative to its root. */
const SCHEMA_FILE = join('schemas', 'connector-manifest.schema.json');

export interface ScaffoldOptions {
  id: string;
  /** Folder the connector folder is created in. */
  parentDirectory: string;
  /** Display name; default the id in title case, e.g. "Acme Crm". */
  name?: string;
  out: CommandOutput;
}

/**
 * Creates `<parentDirectory>/<id>/` with a valid manifest (one object, a paginated list
 * request and a default mapping), a plugin with a transformPage hook, an empty fixtures
 * folder, a README and a test that replays the fixtures. Never writes into an existing
 * folder. Returns the new folder's path.
 */
export async function scaffoldConnector(options: ScaffoldOptions): Promise<string> {
  if (!CONNECTOR_ID.test(options.id)) {
    throw usageError(
      'CONNECTOR_ID_INVALID',
      `The connector id "${options.id}" is invalid; use 2 to 63 lower-case letters, digits and hyphens, starting with a letter, such as "acme-crm".`,
    );
  }

  const directory = resolve(options.parentDirectory, options.id);
  await mkdir(dirname(directory), { recursive: true });
  try {
    await mkdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new AuthoringError('CONNECTOR_EXISTS', `${displayPath(directory)} already exists, so nothing was written; choose another id or remove that folder first.`);
  }

  const schema = findSchema(directory);
  const names: ScaffoldNames = { id: options.id, name: options.name ?? titleCase(options.id), ...(schema === undefined ? {} : { schemaPath: schema }) };
  const files: [string, string][] = [
    ['manifest.json', `${JSON.stringify(manifestTemplate(names), null, 2)}\n`],
    [join('plugin', 'index.ts'), pluginTemplate(names)],
    [join(FIXTURES_FOLDER, '.gitkeep'), ''],
    ['README.md', readmeTemplate(names, displayPath(directory))],
    ['connector.test.ts', replayTestTemplate(names)],
  ];
  for (const [file, content] of files) {
    await mkdir(dirname(join(directory, file)), { recursive: true });
    await writeFile(join(directory, file), content);
  }

  const folderLabel = displayPath(directory);
  options.out(`Created ${folderLabel}:`);
  for (const [file] of files) options.out(`  ${file}`);
  options.out('');
  options.out('Next: point manifest.json at the provider, then check it with');
  options.out(`  lumio-connector validate ${folderLabel}`);
  return directory;
}

/** Finds schemas/connector-manifest.schema.json in a folder above `directory`, as a relative path for `$schema`. */
function findSchema(directory: string): string | undefined {
  for (let folder = dirname(directory); ; folder = dirname(folder)) {
    if (existsSync(join(folder, SCHEMA_FILE))) return relative(directory, join(folder, SCHEMA_FILE)).split(sep).join('/');
    if (dirname(folder) === folder) return undefined;
  }
}

function titleCase(id: string): string {
  return id
    .split('-')
    .filter((part) => part !== '')
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join(' ');
}

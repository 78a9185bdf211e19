import { readFile } from 'node:fs/promises';

import { usageError } from './authoring-error.js';

/** A connection for the record and run commands, read from a JSON file the author keeps out of version control. */
export interface ConnectionFile {
  /** Connection config: the manifest's settings, plus `baseUrl` to point at a simulator or sandbox. */
  config: Record<string, unknown>;
  /** Credential fields by name, e.g. { "apiKey": "…" }. They are never printed or saved. */
  credentials: Record<string, string>;
  /** Auth method type to use; default the first method whose credential fields are all given. */
  authMethod?: string;
}

const KNOWN_KEYS = ['config', 'credentials', 'authMethod'];

/** Reads and checks a connection file; every problem is a usage error naming the file. */
export async function readConnectionFile(path: string): Promise<ConnectionFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as Error).message})`;
    throw usageError('CONNECTION_FILE_UNREADABLE', `The connection file ${path} ${reason}; pass a JSON file with "config" and "credentials" to --config.`, error);
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw usageError('CONNECTION_FILE_INVALID', `The connection file ${path} is not valid JSON (${(error as Error).message}); fix its syntax.`, error);
  }
  if (!isPlainObject(value)) {
    throw usageError('CONNECTION_FILE_INVALID', `The connection file ${path} must hold a JSON object such as {"config": {}, "credentials": {"apiKey": "…"}}.`);
  }

  const unknown = Object.keys(value).filter((key) => !KNOWN_KEYS.includes(key));
  if (unknown.length > 0) {
    throw usageError('CONNECTION_FILE_INVALID', `The connection file ${path} has the unknown key "${unknown[0]}"; the known keys are ${KNOWN_KEYS.join(', ')}.`);
  }

  const config = value.config ?? {};
  if (!isPlainObject(config)) throw usageError('CONNECTION_FILE_INVALID', `"config" in ${path} must be a JSON object of connection settings.`);

  const credentials = value.credentials;
  if (!isPlainObject(credentials) || !Object.values(credentials).every((item) => typeof item === 'string')) {
    throw usageError('CONNECTION_FILE_INVALID', `"credentials" in ${path} must be a JSON object of string values, such as {"apiKey": "…"}.`);
  }

  const authMethod = value.authMethod;
  if (authMethod !== undefined && typeof authMethod !== 'string') {
    throw usageError('CONNECTION_FILE_INVALID', `"authMethod" in ${path} must be an auth method type such as "apiKey".`);
  }

  return { config, credentials: credentials as Record<string, string>, ...(authMethod === undefined ? {} : { authMethod }) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

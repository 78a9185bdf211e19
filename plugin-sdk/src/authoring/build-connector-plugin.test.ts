import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AuthoringError } from './authoring-error.js';
import { buildConnectorPlugin } from './build-connector-plugin.js';
import { scaffoldConnector } from './scaffold-connector.js';

// buildConnectorPlugin on a scaffolded connector whose plugin has type errors.

let parent: string;

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'lumio-build-'));
});

afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

/** Scaffolds a connector whose plugin declares `errors` number constants set to strings, and returns the build's error. */
async function buildWithTypeErrors(id: string, errors: number): Promise<AuthoringError> {
  const directory = await scaffoldConnector({ id, parentDirectory: parent, out: () => undefined });
  const constants = Array.from({ length: errors }, (_, index) => `export const limit${index}: number = 'text';\n`).join('');
  await writeFile(join(directory, 'plugin', 'index.ts'), `${constants}export default { transformPage: (records: unknown[]) => records };\n`);

  const failure = await buildConnectorPlugin({ directory, out: () => undefined }).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(failure instanceof AuthoringError)) throw new Error(`expected an AuthoringError, got ${String(failure)}`);
  return failure;
}

describe('buildConnectorPlugin type errors', () => {
  it('asks to fix one error as "it"', async () => {
    const error = await buildWithTypeErrors('one-type-error', 1);

    expect(error.code).toBe('PLUGIN_TYPE_ERRORS');
    expect(error.message).toContain('has 1 type error (checked');
    expect(error.message).toContain('; fix it, or pass --no-typecheck');
    expect(error.details).toHaveLength(1);
  });

  it('asks to fix two errors as "them"', async () => {
    const error = await buildWithTypeErrors('two-type-errors', 2);

    expect(error.message).toContain('has 2 type errors (checked');
    expect(error.message).toContain('; fix them, or pass --no-typecheck');
    expect(error.details).toHaveLength(2);
  });
});

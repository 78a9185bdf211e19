import { readFileSync } from 'node:fs';

import type { ConnectorManifest } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';

import { LumioError } from '../errors/index.js';
import { getRecordId } from './get-record-id.js';

// The example-tasks connector declares a plugin whose transformPage hook rebuilds records.
const MANIFEST_TEXT = readFileSync(new URL('../../../connectors/example-tasks/manifest.json', import.meta.url), 'utf8');

function loadManifest(withPlugin: boolean): ConnectorManifest {
  const manifest = JSON.parse(MANIFEST_TEXT) as ConnectorManifest;
  if (!withPlugin) delete manifest.plugin;
  return manifest;
}

/** Returns the error getRecordId raises for `record`, or fails the test when it raises none. */
function recordIdError(manifest: ConnectorManifest, record: unknown): LumioError {
  try {
    getRecordId(manifest, 'tasks', record);
  } catch (error) {
    if (error instanceof LumioError) return error;
    throw error;
  }
  throw new Error(`getRecordId accepted ${JSON.stringify(record)}`);
}

describe('getRecordId', () => {
  it.each([
    [{ id: 'task_0001' }, 'task_0001'],
    [{ id: 42 }, '42'],
  ])('returns the id of %j', (record, expected) => {
    expect(getRecordId(loadManifest(false), 'tasks', record)).toBe(expected);
  });

  it.each([[{}], [{ id: '' }], [{ id: Number.NaN }], [{ id: { value: 'task_0001' } }], [null]])('rejects the id of %j', (record) => {
    const error = recordIdError(loadManifest(false), record);

    expect(error.code).toBe('RECORD_ID_MISSING');
    expect(error.fault).toBe('connector');
    expect(error.details).toEqual({ object: 'tasks', primaryKey: 'id' });
  });

  it('names the manifest without a plugin', () => {
    const error = recordIdError(loadManifest(false), { title: 'No id' });

    expect(error.message).toBe('A "tasks" record has no usable id at "id"; check primaryKey in the "example-tasks" manifest.');
  });

  it('names transformPage with a plugin', () => {
    const error = recordIdError(loadManifest(true), { title: 'No id' });

    expect(error.message).toBe(
      'A "tasks" record has no usable id at "id"; check primaryKey in the "example-tasks" manifest. The connector has a plugin, ' +
        'whose transformPage hook may have removed or changed that field: check that the hook keeps "id" in every record it returns.',
    );
  });
});
